package dev.waitdaemon.config;

import java.time.Duration;

/** The validated configuration: every value here is usable as it is. */
public record Settings(
    ImageReference image,
    Duration waitTime,
    RuntimeChoice runtime,
    String nerdctlNamespace,
    boolean nerdctlHost,
    EngineAddress dockerHost,
    Phase phase) {
}
