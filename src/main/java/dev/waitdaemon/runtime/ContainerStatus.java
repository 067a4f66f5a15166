package dev.waitdaemon.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A container's state as its engine's inspect reports it: for {@code status}, and for finding the
 * action's own container by its init process. {@code state} is the engine's word (running, exited,
 * created...); {@code initPid} is the host pid of its first process while it runs, else 0. The
 * optional parts are what has not happened (or what the engine keeps no record of).
 */
public record ContainerStatus(
    String id,
    String image,
    String state,
    long initPid,
    Optional<Integer> exitCode,
    Optional<Instant> created,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Map<String, String> labels) {

    public ContainerStatus {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public boolean running() {
        return "running".equals(state);
    }

    public String label(String name) {
        return labels.getOrDefault(name, "");
    }
}
