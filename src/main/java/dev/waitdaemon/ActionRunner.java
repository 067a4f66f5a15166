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
    private final EventLog log;
    private final PrintStream err = System.err;

    @Inject
    public ActionRunner(SettingsValidator validator, RuntimeDetection detection, FirstFork firstFork, Clone clone,
                        DryRun dryRun, EventLog log) {
        this.validator = validator;
        this.detection = detection;
        this.firstFork = firstFork;
        this.clone = clone;
        this.dryRun = dryRun;
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
        ExitCode failure = settings.phase() == Phase.FIRST_FORK ? ExitCode.FIRST_FORK_FAILED : ExitCode.CLONE_FAILED;

        ContainerRuntime runtime;
        String why;
        try {
            RuntimeDetection.Selection selection = detection.select(settings);
            runtime = selection.runtime();
            why = selection.why();
        } catch (NoUsableRuntimeException e) {
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
                clone.run(settings, runtime, command);
            }
            return ExitCode.OK.code();
        } catch (StoppedDuringWaitException e) {
            err.println("waitdaemon: " + e.getMessage());
            log.warn("target not started: " + e.getMessage(), "exitCode", ExitCode.STOPPED_DURING_WAIT.code());
            return ExitCode.STOPPED_DURING_WAIT.code();
        } catch (PhaseException e) {
            return fail(failure, e.getMessage() + " — " + e.fix());
        } catch (EngineException e) {
            return fail(failure, "the container engine failed: " + e.getMessage());
        } catch (RuntimeException e) {
            return fail(failure, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + " — please report this with the action's log");
        }
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
