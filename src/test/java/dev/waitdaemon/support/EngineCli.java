package dev.waitdaemon.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine tests' own view of an engine: its CLI (docker or podman), run as an argument vector,
 * independent of the code under test.
 */
public final class EngineCli {

    public record Result(int exitCode, String out, String err) {
        public String trimmed() {
            return out.trim();
        }
    }

    /** The host's dockerd: this sandbox's Docker cannot start --privileged (see TinkAgentEmulator). */
    public static final EngineCli DOCKER = new EngineCli("docker", List.of(), false, false, "the host's dockerd");
    public static final EngineCli PODMAN = new EngineCli("podman", List.of(), true, true, "the host's podman");

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final String executable;
    /** Options before the subcommand that point the CLI at its engine (a test machine's socket). */
    private final List<String> target;
    private final boolean startsPrivileged;
    private final boolean podman;
    private final String description;

    private EngineCli(String executable, List<String> target, boolean startsPrivileged, boolean podman, String description) {
        this.executable = executable;
        this.target = List.copyOf(target);
        this.startsPrivileged = startsPrivileged;
        this.podman = podman;
        this.description = description;
    }

    /**
     * The host's docker CLI speaking to a test machine's engine through its socket: its dockerd, or podman's
     * Docker-compatible API.
     */
    public static EngineCli dockerAt(Path socket, boolean podman, String description) {
        return new EngineCli("docker", List.of("--host", "unix://" + socket), true, podman, description);
    }

    public String executable() {
        return executable;
    }

    /** Whether an action can be created truly --privileged on this engine. */
    public boolean startsPrivileged() {
        return startsPrivileged;
    }

    /** Whether the engine is podman (its own CLI or its Docker-compatible API), whichever CLI speaks to it. */
    public boolean isPodman() {
        return podman;
    }

    /**
     * Whether a container is created through podman's Docker-compatible API (the docker CLI speaking to
     * it): that API refuses a bind mount given as --mount whose source holds a comma or a quote
     * ("fill out specgen: … invalid mount option", "bare \" in non-quoted-field"; podman 4.3 and 5.8).
     */
    public boolean createsThroughPodmansApi() {
        return podman && executable.equals("docker");
    }

    /** Whether this is the engine build-image.sh and test-images.sh load the images into. */
    public boolean isTheHostsDocker() {
        return this == DOCKER;
    }

    @Override
    public String toString() {
        return description;
    }

    public Result run(String... args) {
        return run(List.of(args));
    }

    public Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(target);
        command.addAll(args);
        return HostCommand.run(TIMEOUT, command);
    }

    /** Runs and insists on success, returning stdout trimmed. */
    public String ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(executable + " " + String.join(" ", args) + " failed (" + result.exitCode()
                + "): " + result.err());
        }
        return result.trimmed();
    }

    /** Ids of all containers (any state) carrying every one of the labels. */
    public List<String> labelled(String... labels) {
        List<String> args = new ArrayList<>(List.of("ps", "--all", "--quiet", "--no-trunc"));
        for (String label : labels) {
            args.add("--filter");
            args.add("label=" + label);
        }
        Result result = run(args);
        return result.out().lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
    }

    public void removeLabelled(String label) {
        List<String> ids = labelled(label);
        if (!ids.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "--force"));
            rm.addAll(ids);
            run(rm);
        }
    }

    /** The image's id in this engine, or empty when it does not have it. */
    public String imageId(String image) {
        Result result = run("image", "inspect", "--format", "{{.Id}}", image);
        return result.exitCode() == 0 ? result.trimmed() : "";
    }

    /** Copies an image from the docker engine into this one (podman keeps its own store). */
    public void loadFromDocker(String image) throws IOException {
        Path archive = Files.createTempFile("image", ".tar");
        try {
            DOCKER.ok("save", "--output", archive.toString(), image);
            ok("load", "--input", archive.toString());
        } finally {
            Files.deleteIfExists(archive);
        }
    }
}
