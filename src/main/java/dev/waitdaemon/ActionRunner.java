package dev.waitdaemon;

import java.io.PrintStream;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.waitdaemon.config.InvalidConfigurationException;
import dev.waitdaemon.config.Phase;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.config.SettingsValidator;
import dev.waitdaemon.dryrun.DryRun;
import dev.waitdaemon.phase.Clone;
import dev.waitdaemon.phase.FirstFork;
import dev.waitdaemon.phase.PhaseException;
import dev.waitdaemon.phase.StoppedDuringWaitException;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.NoUsableRuntimeException;
import dev.waitdaemon.runtime.RuntimeDetection;
import dev.waitdaemon.support.EventLog;
import dev.waitdaemon.support.TerminationSignal;

/**
 * Runs one phase as an action: validates, picks the runtime, dispatches, and turns every failure into
 * one line on stderr, one log event and the exit code of {@link ExitCode}.
 */
@ApplicationScoped
public class ActionRunner {

    private final SettingsValidator validator;
    private final RuntimeDetection detection;
    private final FirstFork firstFork;
    private final Clone clone;
    private final DryRun dryRun;
    private final TerminationSignal termination;
    private final EventLog log;
    private final PrintStream err = System.err;

    @Inject
    public ActionRunner(SettingsValidator validator, RuntimeDetection detection, FirstFork firstFork, Clone clone,
                        DryRun dryRun, TerminationSignal termination, EventLog log) {
        this.validator = validator;
        this.detection = detection;
        this.firstFork = firstFork;
        this.clone = clone;
        this.dryRun = dryRun;
        this.termination = termination;
        this.log = log;
    }

    /**
     * {@code command} is the target's command as this process received it: its program is logged, and it
     * stands in for the engine's copy where the engine does not report one (nerdctl).
     */
    public int run(List<String> command) {
        Settings settings;
        try {
            settings = validator.validate();
        } catch (InvalidConfigurationException e) {
            return invalidConfiguration(e.problems());
        }
        log.context("phase", settings.phase().label());
        log.context("image", settings.image());
        settings.warnings().forEach(log::warn);
        if (settings.phase() == Phase.CLONE) {
            // From its start until the target's creation, a stop (docker stop, a shutdown) starts nothing and says so.
            try (TerminationSignal.Watch stop = termination.interruptOnTerm()) {
                return run(settings, command, stop);
            }
        }
        return run(settings, command, TerminationSignal.Watch.NONE);
    }

    private int run(Settings settings, List<String> command, TerminationSignal.Watch stop) {
        ExitCode failure = settings.phase() == Phase.FIRST_FORK ? ExitCode.FIRST_FORK_FAILED : ExitCode.CLONE_FAILED;

        ContainerRuntime runtime;
        String why;
        try {
            RuntimeDetection.Selection selection = detection.select(settings);
            runtime = selection.runtime();
            why = selection.why();
        } catch (NoUsableRuntimeException e) {
            if (stop.received()) {
                return stopped(settings);
            }
            err.println("waitdaemon: " + e.getMessage());
            log.error("no usable container runtime; nothing was started", "reasons", e.getMessage());
            return ExitCode.NO_USABLE_RUNTIME.code();
        }
        log.context("runtime", runtime.name());
        List<String> problems = settings.problemsFor(runtime::reads);
        if (!problems.isEmpty()) {
            runtime.close();
            return invalidConfiguration(problems);
        }
        log.info("runtime selected", "why", why);
        try (runtime) {
            if (settings.dryRun() && settings.phase() == Phase.FIRST_FORK) {
                dryRun.run(settings, runtime, command);
            } else if (settings.phase() == Phase.FIRST_FORK) {
                // The program and the number of arguments only: a command line can carry a secret.
                log.info("first fork: starting the clone", "program", command.isEmpty() ? "(image default)" : command.get(0),
                    "arguments", command.size(), "waitSeconds", settings.waitTime().toSeconds());
                firstFork.run(settings, runtime, command);
            } else {
                clone.run(settings, runtime, command, stop);
            }
            return ExitCode.OK.code();
        } catch (StoppedDuringWaitException e) {
            return stopped(settings);
        } catch (RuntimeException | PhaseException e) {
            if (stop.received()) {
                return stopped(settings);
            }
            return failed(failure, e);
        }
    }

    private int stopped(Settings settings) {
        Thread.interrupted();
        String message = new StoppedDuringWaitException(settings.image().canonical()).getMessage();
        err.println("waitdaemon: " + message);
        log.warn("target not started: " + message, "exitCode", ExitCode.STOPPED_DURING_WAIT.code());
        return ExitCode.STOPPED_DURING_WAIT.code();
    }

    private int failed(ExitCode failure, Exception failed) {
        if (failed instanceof PhaseException e) {
            return fail(failure, e.getMessage() + " — " + e.fix());
        }
        if (failed instanceof EngineException e) {
            return fail(failure, "the container engine failed: " + e.getMessage());
        }
        return fail(failure, "unexpected " + failed.getClass().getSimpleName() + ": " + failed.getMessage()
            + " — please report this with the action's log");
    }

    private int invalidConfiguration(List<String> problems) {
        problems.forEach(problem -> err.println("waitdaemon: invalid configuration: " + problem));
        log.error("invalid configuration; nothing was started", "problems", String.join(" | ", problems));
        return ExitCode.INVALID_CONFIGURATION.code();
    }

    private int fail(ExitCode code, String line) {
        err.println("waitdaemon: " + line);
        log.error(line, "exitCode", code.code());
        return code.code();
    }
}
