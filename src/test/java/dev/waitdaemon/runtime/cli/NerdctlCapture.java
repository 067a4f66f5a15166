package dev.waitdaemon.runtime.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One real invocation of nerdctl 2.2.1 against containerd 2.1.9, as captured byte for byte in
 * fixtures/nerdctl-2.2.1 (its README says how): the arguments after the program's name, the exit status,
 * stdout and stderr, both pipes.
 */
record NerdctlCapture(String name, List<String> argv, int exit, String stdout, String stderr) {

    static final String FOLDER = "/fixtures/nerdctl-2.2.1";

    static NerdctlCapture of(String name) {
        Path folder = root().resolve(name);
        try {
            return new NerdctlCapture(name, Files.readAllLines(folder.resolve("argv"), StandardCharsets.UTF_8),
                Integer.parseInt(Files.readString(folder.resolve("exit")).trim()),
                Files.readString(folder.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(folder.resolve("stderr"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every capture made through pipes (the *-tty ones show a terminal's layout, for contrast only). */
    static List<NerdctlCapture> piped() {
        try (Stream<Path> folders = Files.list(root())) {
            return folders.filter(Files::isDirectory).map(folder -> folder.getFileName().toString())
                .filter(name -> !name.endsWith("-tty")).sorted().map(NerdctlCapture::of).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder on disk, for a stand-in script that prints a capture's streams as they are. */
    static Path root() {
        try {
            return Path.of(NerdctlCapture.class.getResource(FOLDER).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    CommandRunner.Result result() {
        return new CommandRunner.Result(exit, stdout, stderr);
    }

    @Override
    public String toString() {
        return name;
    }
}
