package dev.waitdaemon.phase;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.waitdaemon.config.Phase;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.support.EventLog;

/**
 * The action container: makes sure IMAGE is there, starts a detached clone of itself and returns at
 * once, so the agent reports the action as done before the machine goes down.
 */
@ApplicationScoped
public class FirstFork {

    /** Exited clones of earlier runs kept for {@code docker logs}; older ones are removed. */
    static final int KEEP_EXITED_CLONES = 3;

    private final OwnContainer own;
    private final ImagePull pull;
    private final EventLog log;

    @Inject
    public FirstFork(OwnContainer own, ImagePull pull, EventLog log) {
        this.own = own;
        this.pull = pull;
        this.log = log;
    }

    /** {@code command} is this process's arguments: the action's command, used where the engine does not report it. */
    public void run(Settings settings, ContainerRuntime runtime, List<String> command) throws PhaseException {
        long started = System.nanoTime();
        ensureImage(settings, runtime);
        ContainerInfo action = OwnContainerLookup.inspect(own, runtime, "action", command);
        log.context("actionId", action.id());
        removeStaleClones(runtime);
        String cloneId;
        try {
            cloneId = runtime.createAndStart(ContainerPlan.clone(action, settings.image()));
        } catch (EngineException e) {
            throw new PhaseException("cannot start the clone: " + e.getMessage(),
                "check the engine's log; the action's volumes and devices must exist on the host", e);
        }
        log.info("clone started; the action is done", "cloneId", cloneId, "durationMs", millisSince(started));
    }

    private void ensureImage(Settings settings, ContainerRuntime runtime) throws PhaseException {
        pull.ensure(settings.image(), runtime);
    }

    /** Best effort: a failure here must not fail the action. */
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

    static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }
}
