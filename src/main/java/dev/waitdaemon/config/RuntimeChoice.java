package dev.waitdaemon.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The values of CONTAINER_RUNTIME. */
public enum RuntimeChoice {
    AUTO("auto"),
    DOCKER("docker"),
    /** containerd's own API (CaptainOS); the Go waitdaemon's templates said it for nerdctl, which needs the same socket. */
    CONTAINERD("containerd"),
    NERDCTL("nerdctl"),
    PODMAN("podman");

    private final String value;

    RuntimeChoice(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<RuntimeChoice> parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(choice -> choice.value.equals(wanted)).findFirst();
    }

    public static String validValues() {
        return Arrays.stream(values()).map(RuntimeChoice::value).collect(Collectors.joining(", "));
    }
}
