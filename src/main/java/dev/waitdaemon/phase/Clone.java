package dev.waitdaemon.phase;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.Phase;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.ContainerSummary;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.report.SmeeReports;
import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.support.EventLog;
import dev.waitdaemon.support.TerminationSignal;

/**
 * The detached copy: waits until the action container has exited and then WAIT_SECONDS more (the
 * agent's time to report), then starts the target and leaves it running.
 */
@ApplicationScoped
public class Clone {

    /** After this long with the action still running, one warning says so; the clone goes on waiting for its exit. */
    static final Duration ACTION_EXIT_WARNING = Duration.ofSeconds(60);
    /** How long engine calls may keep failing before the clone stops trying to learn when the action exited. */
    static final Duration ENGINE_RETRY_LIMIT = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofMillis(100);
    /**
     * Where the engine keeps no record of the exit (nerdctl: the agent removes the action at once), the
     * wait counts from the moment the clone notices it: it looks more often there, so that moment is near.
     */
    static final Duration QUICK_POLL = Duration.ofMillis(20);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final Duration FOLLOW_POLL = Duration.ofMillis(500);
    /** Exited clones of earlier runs kept for {@code docker logs}; older ones are removed. */
    static final int KEEP_EXITED_CLONES = 3;
    /** How much of a failed target's output its exit event carries. */
    static final int OUTPUT_LINES = 20;
    static final int OUTPUT_CHARS = 4000;

    /** The clone's sense of time: the real clock, or a test's. */
    interface Pacer {
        Instant now();

        /** Waits for {@code duration}, or less if {@code stop} receives SIGTERM meanwhile. */
        void sleep(Duration duration, TerminationSignal.Watch stop) throws InterruptedException;
    }

    private static final Pacer REAL_TIME = new Pacer() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration, TerminationSignal.Watch stop) throws InterruptedException {
            stop.awaitSignal(duration);
        }
    };

    private final OwnContainer own;
    private final EventLog log;
    private final SmeeReports reports;
    private final Pacer pacer;

    @Inject
    public Clone(OwnContainer own, EventLog log, SmeeReports reports) {
        this(own, log, reports, REAL_TIME);
    }

    Clone(OwnContainer own, EventLog log, SmeeReports reports, Pacer pacer) {
        this.own = own;
        this.log = log;
        this.reports = reports;
        this.pacer = pacer;
    }

    /**
     * {@code command} is this process's arguments: the action's command, used where the engine does not
     * report it. {@code stop} has watched for SIGTERM since the clone started: a stop at any moment
     * before the target's start starts nothing (a target already created is removed) and says so; the
     * watch ends when that start begins.
     */
    public void run(Settings settings, ContainerRuntime runtime, List<String> command, TerminationSignal.Watch stop)
        throws PhaseException {
        String targetId = null;
        Prepared prepared = null;
        boolean creating = false;
        try (stop) {
            try {
                prepared = prepare(settings, runtime, command, stop);
                // From here a SIGTERM is only recorded: a creation cut short could leave half a target behind.
                // It is seen right after the creation, and it still ends the wait at once (the sleep watches it).
                stop.holdFromNow();
                stoppedIf(stop, settings);
                creating = true;
                targetId = create(settings, runtime, prepared.target());
                prepareStart(settings, runtime, targetId);
                log.info("target created; it starts when the wait is over", "targetId", targetId, "startsAt", prepared.startAt());
                pause(Duration.between(pacer.now(), prepared.startAt()), stop, settings);
            } catch (PhaseException | RuntimeException e) {
                if (creating) {
                    removeUnstarted(runtime, prepared.actionId(), targetId, e);
                }
                // A stop that broke an engine call or the sleep is a stop, whatever the call made of it.
                stoppedIf(stop, settings);
                throw e;
            }
            // The decision: a stop seen by the wait's last check starts nothing; one after it is only noted.
            try {
                runtime.start(targetId);
                log.info("target started", "targetId", targetId);
            } catch (EngineException e) {
                throw cannotStart(settings, e);
            }
        }
        if (stop.received()) {
            log.warn("stopped (SIGTERM) while the target was being started: it was started, and is not followed",
                "targetId", targetId);
            return;
        }
        // From here a SIGTERM ends the process as usual: the target runs on its own.
        follow(runtime, targetId, settings.targetFollow());
    }

    /** The target's container, when it is due (the action's exit as the engine recorded it, plus WAIT_SECONDS), and its action. */
    private record Prepared(ContainerSpec target, Instant startAt, String actionId) {
    }

    /**
     * The target is created as soon as the action's exit is known, during the wait, so that only its start
     * follows the wait. A creation that fails is reported then, as a start that failed would be.
     */
    private String create(Settings settings, ContainerRuntime runtime, ContainerSpec target) throws PhaseException {
        try {
            return runtime.create(target);
        } catch (EngineException e) {
            throw cannotStart(settings, e);
        }
    }

    /** What the engine can do of the start before it is due (podman's init), done during the wait too. */
    private static void prepareStart(Settings settings, ContainerRuntime runtime, String targetId) throws PhaseException {
        try {
            runtime.prepareStart(targetId);
        } catch (EngineException e) {
            throw cannotStart(settings, e);
        }
    }

    private static PhaseException cannotStart(Settings settings, EngineException e) {
        return new PhaseException("cannot start the target from " + settings.image() + ": " + e.getMessage(),
            "check the image's entrypoint and the action's command, volumes and devices", e);
    }

    /**
     * A target created for a start that will not come goes again: nothing is left that looks like a run.
     * Where the creation itself failed (a CLI killed by the stop along with the clone's every process, say),
     * whatever it left of this action's target is found by its labels. A removal is tried twice: a stop's
     * signal, sent once, may have ended the first attempt's CLI.
     */
    private void removeUnstarted(ContainerRuntime runtime, String actionId, String targetId, Exception cause) {
        List<String> ids;
        try {
            ids = targetId != null ? List.of(targetId) : runtime.listByLabel(Contract.ACTION_LABEL, actionId).stream()
                .filter(container -> Contract.PHASE_LABEL_TARGET.equals(container.labels().get(Contract.PHASE_LABEL)))
                .map(ContainerSummary::id).toList();
        } catch (EngineException e) {
            cause.addSuppressed(e);
            log.warn("could not look for a target left by its failed creation: " + e.getMessage());
            return;
        }
        for (String id : ids) {
            try {
                removeTwice(runtime, id);
                log.info("target removed: it will not be started", "targetId", id);
            } catch (EngineException e) {
                cause.addSuppressed(e);
                log.warn("could not remove the target created for a start that will not come: " + e.getMessage(), "targetId", id);
            }
        }
    }

    private static void removeTwice(ContainerRuntime runtime, String id) {
        try {
            runtime.remove(id);
        } catch (EngineException.NotFound gone) {
            // never made, or gone already
        } catch (EngineException first) {
            try {
                runtime.remove(id);
            } catch (EngineException.NotFound gone) {
                // the first attempt did it after all
            }
        }
    }

    /** Everything before the target's creation: what it needs, then the action's exit. */
    private Prepared prepare(Settings settings, ContainerRuntime runtime, List<String> command,
                                  TerminationSignal.Watch stop) throws PhaseException {
        Instant started = pacer.now();
        ContainerInfo clone = OwnContainerLookup.inspect(own, runtime, "clone", command);
        String actionId = clone.labels().get(Contract.ACTION_LABEL);
        log.context("cloneId", clone.id());
        log.context("actionId", actionId);
        reports.ownLogDriver(clone.inherited().hostConfig().path("LogConfig").path("Type").asText(""));
        stoppedIf(stop, settings);
        // Tidied here rather than in the first fork, whose every call the agent waits for.
        removeStaleClones(runtime);
        stoppedIf(stop, settings);
        // Everything the target needs is read now, so that only its creation and start follow the exit.
        ContainerSpec target = targetPlan(clone, settings, runtime);
        stoppedIf(stop, settings);
        ActionExit exit = actionExit(runtime, actionId, started, stop, settings);
        log.info("waiting before starting the target", "waitSeconds", settings.waitTime().toSeconds(),
            "actionExitedAt", exit.time(), "exitTimeFrom", exit.source());
        stoppedIf(stop, settings);
        return new Prepared(target, exit.time().plus(settings.waitTime()), actionId);
    }

    /** An engine call may swallow the interrupt; the watch's own record of the signal is what counts. */
    private static void stoppedIf(TerminationSignal.Watch stop, Settings settings) throws StoppedDuringWaitException {
        if (stop.received()) {
            Thread.interrupted();
            throw new StoppedDuringWaitException(settings.image().canonical());
        }
    }

    /** The target's container: the clone's own settings, less the defaults that came from waitdaemon's image. */
    private static ContainerSpec targetPlan(ContainerInfo clone, Settings settings, ContainerRuntime runtime)
            throws PhaseException {
        ImageInfo ownImage;
        try {
            ownImage = runtime.inspectImage(clone.imageId()).orElse(new ImageInfo(clone.imageId(), List.of()));
        } catch (EngineException e) {
            throw new PhaseException("cannot read waitdaemon's own image " + clone.imageId()
                + " (its defaults are kept from the target " + settings.image() + "): " + e.getMessage(),
                "check the engine's log; the target was not started", e);
        }
        return ContainerPlan.target(clone, settings.image(), ownImage);
    }

    /** Best effort: a failure here must not fail the clone. */
    private void removeStaleClones(ContainerRuntime runtime) {
        try {
            List<String> stale = ContainerPlan.staleClones(
                runtime.listByLabel(Contract.PHASE_LABEL, Phase.CLONE.label()), KEEP_EXITED_CLONES);
            for (String id : stale) {
                runtime.remove(id);
            }
            if (!stale.isEmpty()) {
                log.info("removed exited clones of earlier runs", "removed", stale.size());
            }
        } catch (EngineException e) {
            log.warn("could not remove exited clones of earlier runs: " + e.getMessage());
        }
    }

    /**
     * Watches the target until it exits, within the bound, and logs how it ended: the agent reported
     * success long ago, so this event (forwarded off the machine by HookOS) is where a failed kexec
     * shows. A reboot simply ends the clone with the machine. Never fails the clone.
     */
    private void follow(ContainerRuntime runtime, String targetId, Duration bound) {
        if (bound.isZero()) {
            return;
        }
        Instant deadline = pacer.now().plus(bound);
        try {
            Optional<Integer> exitCode;
            while ((exitCode = runtime.exitCode(targetId)).isEmpty()) {
                if (pacer.now().isAfter(deadline)) {
                    log.info("target still running; no longer followed", "targetId", targetId,
                        "followSeconds", bound.toSeconds());
                    return;
                }
                pacer.sleep(FOLLOW_POLL, TerminationSignal.Watch.NONE);
            }
            if (exitCode.get() == 0) {
                log.info("target exited", "targetId", targetId, "exitCode", 0);
            } else {
                log.error("target exited", "targetId", targetId, "exitCode", exitCode.get(),
                    "output", lastOutput(runtime, targetId));
            }
        } catch (EngineException.NotFound gone) {
            log.info("target removed before it could be followed to its end", "targetId", targetId);
        } catch (EngineException e) {
            log.warn("cannot follow the target any further: " + e.getMessage(), "targetId", targetId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines it printed, bounded: a log event is no place for a whole console. */
    private static String lastOutput(ContainerRuntime runtime, String targetId) {
        String text = String.join("\n", runtime.lastOutput(targetId, OUTPUT_LINES));
        return text.length() <= OUTPUT_CHARS ? text : "…" + text.substring(text.length() - OUTPUT_CHARS);
    }

    /**
     * When the action exited. The clone's own start-up (a JVM) takes longer than the action's last
     * moments, so the wait counts from the engine's record of the exit, not from when this process
     * noticed it; when the engine keeps no record, from the noticing, which is late but never early.
     * When the exit cannot be learnt at all, from the moment the clone gave up, which is later than any
     * moment the action was seen running ({@code started} at least: the action started this clone).
     */
    private ActionExit actionExit(ContainerRuntime runtime, String actionId, Instant started, TerminationSignal.Watch stop,
                                  Settings settings) throws PhaseException {
        if (actionId == null || actionId.isEmpty()) {
            return new ActionExit(pacer.now(), "now: the clone carries no action id");
        }
        Optional<Instant> noticed = awaitActionExit(runtime, actionId, started, stop, settings);
        if (noticed.isEmpty()) {
            return new ActionExit(pacer.now(), "now: the engine could not say when the action exited");
        }
        try {
            // An engine time after the noticing would be another clock's: keep the noticing then.
            return runtime.exitedAt(actionId).filter(exit -> !exit.isAfter(noticed.get()))
                .map(exit -> new ActionExit(exit, "engine"))
                .orElse(new ActionExit(noticed.get(), "observed: the engine keeps no record of it"));
        } catch (EngineException e) {
            // Not retried: the noticing is a safe moment to count from, and a retry would only delay the target.
            return new ActionExit(noticed.get(), "observed: " + e.getMessage());
        }
    }

    private record ActionExit(Instant time, String source) {
    }

    /**
     * The moment the action was seen to have exited (the answer that said so), or empty when the engine
     * failed for longer than {@link #ENGINE_RETRY_LIMIT}; a warning then names the last moment it was
     * seen running. A running action is waited for as long as it runs: starting the target beside it
     * would be early, whatever the reason it still runs.
     */
    private Optional<Instant> awaitActionExit(ContainerRuntime runtime, String actionId, Instant started,
                                              TerminationSignal.Watch stop, Settings settings) throws PhaseException {
        Duration poll = runtime.recordsExitTimes() ? POLL : QUICK_POLL;
        Instant seenRunning = started;
        boolean warned = false;
        while (true) {
            Optional<Boolean> running = withRetries(() -> runtime.isRunning(actionId), stop, settings);
            if (running.isEmpty()) {
                log.warn("cannot tell when the action exited: counting the wait from now, after it was last seen running",
                    "lastSeenRunning", seenRunning, "retriedSeconds", ENGINE_RETRY_LIMIT.toSeconds());
                return Optional.empty();
            }
            Instant answered = pacer.now();
            if (!running.get()) {
                return Optional.of(answered);
            }
            seenRunning = answered;
            if (!warned && Duration.between(started, answered).compareTo(ACTION_EXIT_WARNING) > 0) {
                warned = true;
                log.warn("the action container is still running; waiting for it to exit",
                    "waitedSeconds", ACTION_EXIT_WARNING.toSeconds());
            }
            pause(poll, stop, settings);
        }
    }

    /** A read of the engine, retried while it fails, for at most {@link #ENGINE_RETRY_LIMIT}; empty if it never answered. */
    private <T> Optional<T> withRetries(EngineRead<T> read, TerminationSignal.Watch stop, Settings settings)
        throws PhaseException {
        Instant giveUp = pacer.now().plus(ENGINE_RETRY_LIMIT);
        while (true) {
            try {
                return Optional.of(read.get());
            } catch (EngineException e) {
                stoppedIf(stop, settings);
                if (!pacer.now().isBefore(giveUp)) {
                    log.warn("the engine keeps failing: " + e.getMessage());
                    return Optional.empty();
                }
                log.warn("the engine failed; retrying: " + e.getMessage());
                pause(RETRY_PAUSE, stop, settings);
            }
        }
    }

    private interface EngineRead<T> {
        T get();
    }

    /**
     * A pause of the clone before the target's creation: none at all once stopped, and cut short by the
     * stop itself rather than by the thread's interrupt, which an engine call may have taken.
     */
    private void pause(Duration duration, TerminationSignal.Watch stop, Settings settings) throws PhaseException {
        stoppedIf(stop, settings);
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            // Rounded up: the target must never start before its time.
            pacer.sleep(duration.plusNanos(999_999).truncatedTo(ChronoUnit.MILLIS), stop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhaseException("interrupted while waiting", "do not stop the clone before its wait is over", e);
        }
        stoppedIf(stop, settings);
    }
}
