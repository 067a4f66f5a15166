package dev.waitdaemon;

import java.util.List;

import dev.waitdaemon.config.InvalidConfigurationException;
import dev.waitdaemon.phase.PhaseException;
import dev.waitdaemon.phase.StoppedDuringWaitException;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.NoUsableRuntimeException;

/**
 * What a failure means to the operator: its exit code, the one line each problem gets on stderr
 * (without the "waitdaemon: " prefix), and the log event that records it. The one mapping from
 * exceptions to {@link ExitCode}, for the action's phases and for {@code status} alike; only what the
 * engine's failure means differs between them ({@code engineFailure}).
 */
public record Failure(ExitCode code, List<String> lines, String event, boolean warning) {

    public Failure {
        lines = List.copyOf(lines);
    }

    public static Failure of(Throwable failure, ExitCode engineFailure) {
        if (failure instanceof InvalidConfigurationException invalid) {
            return new Failure(ExitCode.INVALID_CONFIGURATION,
                invalid.problems().stream().map(problem -> "invalid configuration: " + problem).toList(),
                "invalid configuration; nothing was started", false);
        }
        if (failure instanceof NoUsableRuntimeException none) {
            return new Failure(ExitCode.NO_USABLE_RUNTIME, List.of(none.getMessage()),
                "no usable container runtime; nothing was started", false);
        }
        if (failure instanceof StoppedDuringWaitException stopped) {
            return new Failure(ExitCode.STOPPED_DURING_WAIT, List.of(stopped.getMessage()),
                "target not started: " + stopped.getMessage(), true);
        }
        String line;
        if (failure instanceof PhaseException phase) {
            line = phase.getMessage() + " — " + phase.fix();
        } else if (failure instanceof EngineException engine) {
            line = "the container engine failed: " + engine.getMessage();
        } else {
            line = "unexpected " + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                + " — please report this with the action's log";
        }
        return new Failure(engineFailure, List.of(line), line, false);
    }
}
