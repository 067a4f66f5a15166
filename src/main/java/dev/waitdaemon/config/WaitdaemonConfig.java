package dev.waitdaemon.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The environment as the action template sets it, unvalidated: every value stays a string so that a
 * bad one becomes a clear message from {@link SettingsValidator} instead of a start-up stack trace.
 * Method names map to the variable names in {@link Contract} (waitSeconds ↔ WAIT_SECONDS).
 */
@ConfigMapping(prefix = "")
public interface WaitdaemonConfig {

    Optional<String> image();

    Optional<String> waitSeconds();

    Optional<String> containerRuntime();

    Optional<String> nerdctlNamespace();

    /** Older name of NERDCTL_NAMESPACE. */
    Optional<String> containerdNamespace();

    Optional<String> nerdctlHost();

    /** Older name of NERDCTL_HOST. */
    Optional<String> nsenterHost();

    Optional<String> nerdctlHostPid();

    Optional<String> targetFollowSeconds();

    Optional<String> dockerHost();

    /** containerd's socket for the containerd runtime, as containerd's own clients read it. */
    Optional<String> containerdAddress();

    /**
     * Read only to refuse it where waitdaemon dials a tcp:// DOCKER_HOST: TLS to the engine is not
     * supported, and ignoring it there would be a silent downgrade.
     */
    Optional<String> dockerTlsVerify();

    /** As DOCKER_TLS_VERIFY. */
    Optional<String> dockerTls();

    Optional<String> registryUsername();

    Optional<String> registryPassword();

    Optional<String> dockerConfig();

    /** WAITDAEMON_SYSLOG: udp://host:port or off; unset, the kernel command line's syslog_host. */
    Optional<String> waitdaemonSyslog();

    /** WAITDAEMON_DRY_RUN: a boolean, as NERDCTL_HOST. */
    Optional<String> waitdaemonDryRun();

    /** Internal: set by the first fork on its clone, never by an operator. */
    Optional<String> waitdaemonPhase();
}
