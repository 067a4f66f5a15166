package dev.waitdaemon.runtime.cli;

import java.util.Optional;
import java.util.regex.Pattern;

/** The CLIs that share docker's command syntax, and where they differ. */
public enum CliDialect {
    NERDCTL("nerdctl"),
    DOCKER("docker"),
    PODMAN("podman");

    /** How each CLI says that an image or container does not exist. */
    private static final Pattern NOT_FOUND = Pattern.compile(
        "(?i)no such (image|container|object)|image not known|not found|does not exist");

    private final String executable;

    CliDialect(String executable) {
        this.executable = executable;
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

    static boolean saysNotFound(String stderr) {
        return NOT_FOUND.matcher(stderr).find();
    }
}
