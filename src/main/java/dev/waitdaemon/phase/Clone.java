package dev.waitdaemon.phase;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.waitdaemon.config.Phase;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.support.EventLog;
import dev.waitdaemon.support.TerminationSignal;

/**
 * The detached copy: waits until the action container has exited and then WAIT_SECONDS more (the
 * agent's time to report), then starts the target and leaves it running.
 */
@ApplicationScoped
public class Clone {

    /** How long the action may take to exit after starting its clone (it exits within milliseconds). */
    static final Duration ACTION_EXIT_LIMIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration FOLLOW_POLL = Duration.ofMillis(500);
    /** Exited clones of earlier runs kept for {@code docker logs}; older ones are removed. */
    static final int KEEP_EXITED_CLONES = 3;
    /** How much of a failed target's output its exit event carries. */
    static final int OUTPUT_LINES = 20;
    static final int OUTPUT_CHARS = 4000;

    private final OwnContainer own;
    private final TerminationSignal termination;
    private final EventLog log;

    @Inject
    public Clone(OwnContainer own, TerminationSignal termination, EventLog log) {
        this.own = own;
        this.termination = termination;
        this.log = log;
    }

    /** An engine call may swallow the interrupt; the watch's own record of the signal is what counts. */
    private static void stopIf(TerminationSignal.Watch stop, Settings settings) throws StoppedDuringWaitException {
        if (stop.received()) {
            Thread.interrupted();
            throw new StoppedDuringWaitException(settings.image().canonical());
        }
    }

    /** {@code command} is this process's arguments: the action's command, used where the engine does not report it. */
    public void run(Settings settings, ContainerRuntime runtime, List<String> command) throws PhaseException {
        ContainerInfo clone = OwnContainerLookup.inspect(own, runtime, "clone", command);
        String actionId = clone.labels().get(ContainerPlan.ACTION_LABEL);
        log.context("cloneId", clone.id());
        log.context("actionId", actionId);
        // Tidied here rather than in the first fork, whose every call the agent waits for.
        removeStaleClones(runtime);
        // Everything the target needs is read now, so that only its creation and start follow the wait.
        ContainerSpec target = targetPlan(clone, settings, runtime);
        // A stop during the wait (docker stop, a shutdown) must not start the target, and must say so.
        try (TerminationSignal.Watch stop = termination.interruptOnTerm()) {
            ActionExit exit = actionExit(runtime, actionId);
            stopIf(stop, settings);
            log.info("waiting before starting the target", "waitSeconds", settings.waitTime().toSeconds(),
                "actionExitedAt", exit.time(), "exitTimeFrom", exit.source());
            try {
                sleep(Duration.between(Instant.now(), exit.time().plus(settings.waitTime())));
            } catch (PhaseException interrupted) {
                stopIf(stop, settings);
                throw interrupted;
            }
            stopIf(stop, settings);
        }
        String targetId;
        try {
            targetId = runtime.createAndStart(target);
            log.info("target started", "targetId", targetId);
        } catch (EngineException e) {
            throw cannotStartTarget(settings, e);
        }
        follow(runtime, targetId, settings.targetFollow());
    }

    /** The target's container: the clone's own settings, less the environment that came from waitdaemon's image. */
    private static ContainerSpec targetPlan(ContainerInfo clone, Settings settings, ContainerRuntime runtime)
            throws PhaseException {
        try {
            List<String> ownImageEnv = runtime.inspectImage(clone.imageId()).map(ImageInfo::env).orElse(List.of());
            return ContainerPlan.target(clone, settings.image(), ownImageEnv);
        } catch (EngineException e) {
            throw cannotStartTarget(settings, e);
        }
    }

    private static PhaseException cannotStartTarget(Settings settings, EngineException e) {
        return new PhaseException("cannot start the target from " + settings.image() + ": " + e.getMessage(),
            "check the image's entrypoint and the action's command, volumes and devices", e);
    }

    /** Best effort: a failure here must not fail the clone. */
    private void removeStaleClones(ContainerRuntime runtime) {
        try {
            List<String> stale = ContainerPlan.staleClones(
                runtime.listByLabel(ContainerPlan.PHASE_LABEL, Phase.CLONE.label()), KEEP_EXITED_CLONES);
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
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            Optional<Integer> exitCode;
            while ((exitCode = runtime.exitCode(targetId)).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    log.info("target still running; no longer followed", "targetId", targetId,
                        "followSeconds", bound.toSeconds());
                    return;
                }
                Thread.sleep(FOLLOW_POLL.toMillis());
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
     * noticed it; when the engine cannot tell, from the noticing, which is late but never early.
     */
    private ActionExit actionExit(ContainerRuntime runtime, String actionId) throws PhaseException {
        if (actionId == null || actionId.isEmpty()) {
            return new ActionExit(Instant.now(), "now: the clone carries no action id");
        }
        Instant noticed = awaitActionExit(runtime, actionId);
        try {
            // An engine time after the noticing would be another clock's: keep the noticing then.
            return runtime.exitedAt(actionId).filter(exit -> !exit.isAfter(noticed))
                .map(exit -> new ActionExit(exit, "engine"))
                .orElse(new ActionExit(noticed, "observed: the engine keeps no record of it"));
        } catch (EngineException e) {
            return new ActionExit(noticed, "observed: " + e.getMessage());
        }
    }

    private record ActionExit(Instant time, String source) {
    }

    private Instant awaitActionExit(ContainerRuntime runtime, String actionId) throws PhaseException {
        long deadline = System.nanoTime() + ACTION_EXIT_LIMIT.toNanos();
        try {
            while (runtime.isRunning(actionId)) {
                if (System.nanoTime() > deadline) {
                    log.warn("the action container is still running; going on", "waitedSeconds", ACTION_EXIT_LIMIT.toSeconds());
                    break;
                }
                sleep(POLL);
            }
        } catch (EngineException e) {
            log.warn("cannot tell whether the action container has exited; going on: " + e.getMessage());
        }
        return Instant.now();
    }

    private static void sleep(Duration duration) throws PhaseException {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            // Rounded up: the target must never start before its time.
            Thread.sleep(duration.plusNanos(999_999).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhaseException("interrupted while waiting", "do not stop the clone before its wait is over", e);
        }
    }
}
