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
import dev.waitdaemon.report.SmeeReports;
import dev.waitdaemon.runtime.ContainerRuntime;
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
    private final SmeeReports reports;
    private final PrintStream err = System.err;

    @Inject
    public ActionRunner(SettingsValidator validator, RuntimeDetection detection, FirstFork firstFork, Clone clone,
                        DryRun dryRun, TerminationSignal termination, EventLog log, SmeeReports reports) {
        this.validator = validator;
        this.detection = detection;
        this.firstFork = firstFork;
        this.clone = clone;
        this.dryRun = dryRun;
        this.termination = termination;
        this.log = log;
        this.reports = reports;
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
            return report(Failure.of(e, ExitCode.FIRST_FORK_FAILED));
        }
        log.context("phase", settings.phase().label());
        log.context("image", settings.image());
        settings.warnings().forEach(log::warn);
        if (settings.phase() == Phase.CLONE) {
            // The clone's events go to Smee too: nothing else forwards them on CaptainOS and IPA.
            reports.start(settings);
            // From its start until the target's creation, a stop (docker stop, a shutdown) starts nothing and says so.
            try (TerminationSignal.Watch stop = termination.interruptOnTerm()) {
                return run(settings, command, stop);
            } finally {
                reports.close();
            }
        }
        return run(settings, command, TerminationSignal.Watch.NONE);
    }

    private int run(Settings settings, List<String> command, TerminationSignal.Watch stop) {
        ExitCode engineFailure = settings.phase() == Phase.FIRST_FORK ? ExitCode.FIRST_FORK_FAILED : ExitCode.CLONE_FAILED;
        try {
            runPhase(settings, command, stop);
            return ExitCode.OK.code();
        } catch (Exception e) {
            // A stop that broke whatever was under way is a stop, whatever that made of it.
            Exception failure = stop.received() ? new StoppedDuringWaitException(settings.image().canonical()) : e;
            return report(Failure.of(failure, engineFailure));
        }
    }

    private void runPhase(Settings settings, List<String> command, TerminationSignal.Watch stop)
        throws InvalidConfigurationException, NoUsableRuntimeException, PhaseException {
        RuntimeDetection.Selection selection = detection.select(settings);
        try (ContainerRuntime runtime = selection.runtime()) {
            log.context("runtime", runtime.name());
            List<String> problems = settings.problemsFor(runtime::reads);
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            log.info("runtime selected", "why", selection.why());
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
        }
    }

    /** One line on stderr per problem, one log event, and the exit code: {@link Failure} decides all three. */
    private int report(Failure failure) {
        Thread.interrupted();
        // A clone that failed before it knew its own log driver sends its failure rather than lose it.
        reports.sendWaiting();
        failure.lines().forEach(line -> err.println("waitdaemon: " + line));
        if (failure.warning()) {
            log.warn(failure.event(), "exitCode", failure.code().code());
        } else {
            log.error(failure.event(), "exitCode", failure.code().code());
        }
        return failure.code().code();
    }
}
