package dev.waitdaemon;

/** The process exit codes: part of the public contract, documented in the README. */
public enum ExitCode {
    OK(0),
    /** The action container (first fork) could not pull the image or start its clone. */
    FIRST_FORK_FAILED(1),
    /** {@code status}: the engine failed while the runs were read. */
    STATUS_FAILED(1),
    /** The clone could not start the target container. */
    CLONE_FAILED(2),
    /** An environment variable has a value that cannot be used; nothing was started. */
    INVALID_CONFIGURATION(3),
    /** The clone was stopped (SIGTERM) during its wait; the target was not started. */
    STOPPED_DURING_WAIT(4),
    /** No container runtime answered; nothing was started. */
    NO_USABLE_RUNTIME(12);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
