package dev.waitdaemon.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A file that hands a CLI what must not be an argument (credentials, the container's environment):
 * in a private folder (0700, file 0600) of the action's own file system, deleted on close. In host
 * mode the CLI runs in the host's mount namespace, where the action's files are under
 * /proc/&lt;this process&gt;/root (the action has pid: host).
 */
final class PrivateFile implements AutoCloseable {

    private final Path folder;
    private final Path file;
    private final String root;

    private PrivateFile(Path folder, Path file, String root) {
        this.folder = folder;
        this.file = file;
        this.root = root;
    }

    /**
     * Where the folder may go: the temporary folder, else /dev/shm, a tmpfs the engines give a --read-only
     * container too (its /tmp is then read-only unless a tmpfs was given there).
     */
    private static final List<Path> PARENTS = List.of(Path.of(System.getProperty("java.io.tmpdir", "/tmp")), Path.of("/dev/shm"));

    static PrivateFile write(String name, String content, boolean hostMode) throws IOException {
        Path folder = privateFolder();
        Path file = folder.resolve(name);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
            throw e;
        }
        return new PrivateFile(folder, file, hostMode ? "/proc/" + ProcessHandle.current().pid() + "/root" : "");
    }

    private static Path privateFolder() throws IOException {
        IOException refused = null;
        for (Path parent : PARENTS) {
            try {
                return Files.createTempDirectory(parent, "waitdaemon-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                if (refused == null) {
                    refused = e;
                } else {
                    refused.addSuppressed(e);
                }
            }
        }
        throw refused;
    }

    /** The folder, as the CLI sees it (docker --config, nerdctl's DOCKER_CONFIG). */
    String folderForCli() {
        return root + folder;
    }

    /** The file, as the CLI sees it (--authfile, --env-file). */
    String fileForCli() {
        return root + file;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(folder);
    }
}
