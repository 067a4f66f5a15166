package dev.waitdaemon.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** Engines' timestamps as they print them: inspect's State times and the records of their event streams. */
public final class EngineTimes {

    /** How far back a removed container's exit event is looked for: the action exited moments ago. */
    public static final Duration EXIT_EVENT_LOOKBACK = Duration.ofMinutes(10);
    /** Go's zero time: what engines report for something that never happened. */
    private static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");

    private EngineTimes() {
    }

    /** An RFC 3339 time such as inspect's State.FinishedAt; empty for Go's zero time or anything else. */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            Instant time = Instant.parse(text.trim());
            return time.isAfter(NEVER) ? Optional.of(time) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * When an event happened: Docker's API and CLI say {@code timeNano} (or {@code time} in seconds),
     * podman's CLI an RFC 3339 {@code Time}.
     */
    public static Optional<Instant> ofEvent(JsonNode event) {
        if (event.path("timeNano").canConvertToLong() && event.path("timeNano").asLong() > 0) {
            return Optional.of(Instant.ofEpochSecond(0, event.path("timeNano").asLong()));
        }
        if (event.path("Time").isTextual()) {
            return parse(event.path("Time").asText());
        }
        if (event.path("time").canConvertToLong() && event.path("time").asLong() > 0) {
            return Optional.of(Instant.ofEpochSecond(event.path("time").asLong()));
        }
        return Optional.empty();
    }
}
