package dev.waitdaemon.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The validated configuration: every value here is usable as it is. {@code nerdctlHost} and
 * {@code nerdctlHostPid} apply to every CLI runtime (nerdctl, docker, podman): in host mode the CLI
 * runs in the namespaces of that process. {@code containerdAddress} is CONTAINERD_ADDRESS's socket path, or null
 * for the usual places. {@code syslog} is where the clone reports to Smee. {@code targetFollow} bounds how long the clone watches the
 * target it started, to report its end; {@code dryRun} plans without pulling or creating anything.
 * {@code warnings} are values taken as their default (an
 * empty CONTAINER_RUNTIME, say), logged once the action runs; {@code scopedProblems} stop it only if
 * the runtime chosen reads the setting.
 */
public record Settings(
    ImageReference image,
    Duration waitTime,
    RuntimeChoice runtime,
    String nerdctlNamespace,
    boolean nerdctlHost,
    int nerdctlHostPid,
    EngineAddress dockerHost,
    String containerdAddress,
    Phase phase,
    Duration targetFollow,
    boolean dryRun,
    SyslogChoice syslog,
    List<String> warnings,
    List<ScopedProblem> scopedProblems) {

    public Settings {
        warnings = List.copyOf(warnings);
        scopedProblems = List.copyOf(scopedProblems);
    }

    /** The problems that stop a runtime which reads settings of the kinds {@code reads} accepts. */
    public List<String> problemsFor(Predicate<ScopedProblem.ReadBy> reads) {
        return scopedProblems.stream().filter(problem -> reads.test(problem.readBy())).map(ScopedProblem::problem).toList();
    }
}
