package dev.waitdaemon.config;

/**
 * A problem with a setting that only some runtimes read (a current name and its older name that
 * disagree): it stops the action only when one of those runtimes is the one chosen.
 */
public record ScopedProblem(String problem, ReadBy readBy) {

    /** Who reads the setting. */
    public enum ReadBy {
        /** NERDCTL_NAMESPACE: nerdctl only. */
        NERDCTL,
        /** NERDCTL_HOST: every CLI runtime (nerdctl, docker, podman). */
        ANY_CLI
    }
}
