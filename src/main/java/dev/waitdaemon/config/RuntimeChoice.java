package dev.waitdaemon.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The values of CONTAINER_RUNTIME. */
public enum RuntimeChoice {
    AUTO("auto"),
    DOCKER("docker"),
    NERDCTL("nerdctl"),
    PODMAN("podman");

    /** CaptainOS templates say "containerd"; it is served by nerdctl. */
    private static final String CONTAINERD_ALIAS = "containerd";

    private final String value;

    RuntimeChoice(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<RuntimeChoice> parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals(CONTAINERD_ALIAS)) {
            return Optional.of(NERDCTL);
        }
        return Arrays.stream(values()).filter(choice -> choice.value.equals(wanted)).findFirst();
    }

    public static String validValues() {
        return Arrays.stream(values()).map(RuntimeChoice::value).collect(Collectors.joining(", "))
            + ", " + CONTAINERD_ALIAS + " (same as nerdctl)";
    }
}
