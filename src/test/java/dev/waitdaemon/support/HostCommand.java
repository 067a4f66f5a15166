package dev.waitdaemon.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.waitdaemon.support.EngineCli.Result;

/** Runs a program of the test machine as an argument vector, with a bound, and keeps what it printed. */
public final class HostCommand {

    private HostCommand() {
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, new ProcessBuilder(command));
    }

    /** For a command that needs its own environment or folder. */
    public static Result run(Duration timeout, ProcessBuilder builder) {
        List<String> command = builder.command();
        try {
            Path out = Files.createTempFile("command-out", ".txt");
            Path err = Files.createTempFile("command-err", ".txt");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out after " + timeout + ": " + command);
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs and insists on success, returning stdout. */
    public static String ok(Duration timeout, String... command) {
        Result result = run(timeout, List.of(command));
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exitCode() + "): " + result.err());
        }
        return result.out();
    }
}
