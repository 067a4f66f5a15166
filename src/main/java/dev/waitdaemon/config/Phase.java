package dev.waitdaemon.config;

/** Which of the two processes this is. */
public enum Phase {
    /** The action container the workflow started: starts a clone and exits at once. */
    FIRST_FORK("first-fork"),
    /** The detached copy: waits, then starts the target. */
    CLONE("clone");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    /** The name used in logs and container labels. */
    public String label() {
        return label;
    }
}
