package dev.waitdaemon.runtime.cli;

import java.util.Optional;
import java.util.regex.Pattern;

/** The CLIs that share docker's command syntax, and where they differ. */
public enum CliDialect {
    NERDCTL("nerdctl"),
    DOCKER("docker"),
    PODMAN("podman");

    private final String executable;
    /**
     * How this CLI says that an image or container does not exist, in its own words (nothing looser: a
     * "not found" about a missing network or volume is a failure to report, not an absent object).
     * docker 20.10: "Error: No such container: x"; docker 28: "Error response from daemon: No such
     * container: x", "no such image: x:1: No such image: x:1"; podman: "no such container x",
     * "x:1: image not known"; nerdctl: "no such container: x", "no such image: x".
     */
    private final Pattern notFound;

    CliDialect(String executable) {
        this.executable = executable;
        this.notFound = switch (executable) {
            case "docker" -> Pattern.compile("(?i)\\bno such (container|image|object): ");
            case "podman" -> Pattern.compile("\\bno such (container|object)\\b|: image not known\\b");
            default -> Pattern.compile("\\bno such (container|image|object)\\b");
        };
    }

    public String executable() {
        return executable;
    }

    /**
     * The name its {@code events --filter event=} gives a container's exit; empty for nerdctl, whose
     * events cannot be asked about the past (no --since).
     */
    Optional<String> exitEventName() {
        return switch (this) {
            case DOCKER -> Optional.of("die");
            case PODMAN -> Optional.of("died");
            case NERDCTL -> Optional.empty();
        };
    }

    /** nerdctl scopes every call to a containerd namespace. */
    boolean usesNamespace() {
        return this == NERDCTL;
    }

    /** A failed call whose CLI said the object does not exist. */
    boolean saysNotFound(int exitCode, String stderr) {
        return exitCode != 0 && notFound.matcher(stderr).find();
    }
}
