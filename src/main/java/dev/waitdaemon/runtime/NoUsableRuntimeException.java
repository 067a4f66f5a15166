package dev.waitdaemon.runtime;

import java.util.List;
import java.util.stream.Collectors;

/** No runtime could be used; carries each candidate that was tried with its reason and fix. */
public class NoUsableRuntimeException extends Exception {

    public record Attempt(String candidate, String reason, String fix) {
    }

    private final List<Attempt> attempts;

    public NoUsableRuntimeException(String summary, List<Attempt> attempts, String advice) {
        super(summary + attempts.stream()
            .map(a -> a.candidate() + ": " + a.reason() + " (fix: " + a.fix() + ")")
            .collect(Collectors.joining("; ", " — ", "")) + " — " + advice);
        this.attempts = List.copyOf(attempts);
    }

    public List<Attempt> attempts() {
        return attempts;
    }
}
