package dev.waitdaemon.config;

import java.time.Duration;

/**
 * The validated configuration: every value here is usable as it is. {@code nerdctlHost} and
 * {@code nerdctlHostPid} apply to every CLI runtime (nerdctl, docker, podman): in host mode the CLI
 * runs in the namespaces of that process.
 */
public record Settings(
    ImageReference image,
    Duration waitTime,
    RuntimeChoice runtime,
    String nerdctlNamespace,
    boolean nerdctlHost,
    int nerdctlHostPid,
    EngineAddress dockerHost,
    Phase phase) {
}
