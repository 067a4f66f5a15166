package dev.waitdaemon.runtime;

import java.time.Instant;
import java.util.Map;

/** One row of a container listing. {@code running} is false for created, exited and dead containers. */
public record ContainerSummary(String id, boolean running, Instant created, Map<String, String> labels) {
}
