package dev.waitdaemon.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The engine tests' own view of the engine: the docker CLI, run as an argument vector, independent of
 * the code under test. {@code DOCKER_HOST} of the test process picks the engine.
 */
public final class DockerCli {

    public record Result(int exitCode, String out, String err) {
        public String trimmed() {
            return out.trim();
        }
    }

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private DockerCli() {
    }

    public static Result run(String... args) {
        return run(List.of(args));
    }

    public static Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(args);
        try {
            Path out = Files.createTempFile("docker-out", ".txt");
            Path err = Files.createTempFile("docker-err", ".txt");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out: " + command);
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

    /** Runs and insists on success, returning stdout trimmed. */
    public static String ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed (" + result.exitCode() + "): "
                + result.err());
        }
        return result.trimmed();
    }
}
