package dev.waitdaemon.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

    static PrivateFile write(String name, String content, boolean hostMode) throws IOException {
        Path folder = Files.createTempDirectory("waitdaemon-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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
