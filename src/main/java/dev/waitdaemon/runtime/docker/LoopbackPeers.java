package dev.waitdaemon.runtime.docker;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who opened a loopback connection: the kernel's tables of TCP sockets (/proc/net/tcp and tcp6 of this
 * network namespace) give the inode of the connection's client end, and a process's file descriptors
 * name the sockets it holds. The relay serves only connections this process opened, so that no other
 * process on the machine (IPA runs every action with host networking) can hold its slots.
 */
final class LoopbackPeers {

    private static final List<String> TABLES = List.of("tcp", "tcp6");

    private final Path procSelf;

    LoopbackPeers(Path procSelf) {
        this.procSelf = procSelf;
    }

    static LoopbackPeers ofThisProcess() {
        return new LoopbackPeers(Path.of("/proc/self"));
    }

    /**
     * Whether the client end of {@code accepted} is one of this process's sockets. Empty where the
     * kernel's tables cannot be read (not Linux): then only the relay's secret guards it.
     */
    Optional<Boolean> openedHere(Socket accepted) {
        Optional<Long> inode = clientInode(accepted.getPort(), accepted.getLocalPort());
        if (inode.isEmpty()) {
            return readable() ? Optional.of(false) : Optional.empty();
        }
        return Optional.of(holds("socket:[" + inode.get() + "]"));
    }

    private boolean readable() {
        return TABLES.stream().anyMatch(table -> Files.isReadable(procSelf.resolve("net").resolve(table)));
    }

    /** The inode of the socket whose local port is {@code clientPort} and remote port {@code serverPort}. */
    Optional<Long> clientInode(int clientPort, int serverPort) {
        String local = String.format(Locale.ROOT, ":%04X", clientPort);
        String remote = String.format(Locale.ROOT, ":%04X", serverPort);
        for (String table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(procSelf.resolve("net").resolve(table));
            } catch (IOException | SecurityException e) {
                continue;
            }
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            for (String line : lines) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[1].endsWith(local) && fields[2].endsWith(remote)) {
                    try {
                        return Optional.of(Long.parseLong(fields[9]));
                    } catch (NumberFormatException notAnInode) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean holds(String socket) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(procSelf.resolve("fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    if (socket.equals(Files.readSymbolicLink(descriptor).toString())) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while the folder was read
                }
            }
        } catch (IOException | SecurityException e) {
            return false;
        }
        return false;
    }
}
