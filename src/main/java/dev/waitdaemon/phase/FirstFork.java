package dev.waitdaemon.phase;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.waitdaemon.config.Settings;
import dev.waitdaemon.registry.CredentialSource;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.support.EventLog;

/**
 * The action container: makes sure IMAGE is there, starts a detached clone of itself and returns at
 * once, so the agent reports the action as done before the machine goes down.
 */
@ApplicationScoped
public class FirstFork {

    /** The longest a first fork waits for its clone to say that it watches for the action's exit (a JVM's start, many times over). */
    static final Duration CLONE_WATCHING_LIMIT = Duration.ofSeconds(10);

    private final OwnContainer own;
    private final ImagePull pull;
    private final CredentialSource credentials;
    private final EventLog log;

    @Inject
    public FirstFork(OwnContainer own, ImagePull pull, CredentialSource credentials, EventLog log) {
        this.own = own;
        this.pull = pull;
        this.credentials = credentials;
        this.log = log;
    }

    /** {@code command} is this process's arguments: the action's command, used where the engine does not report it. */
    public void run(Settings settings, ContainerRuntime runtime, List<String> command) throws PhaseException {
        long started = System.nanoTime();
        // Finding the action's container does not depend on IMAGE: the engine answers both at once.
        Future<ContainerInfo> lookup = aside(() -> OwnContainerLookup.inspect(own, runtime, "action", command));
        ensureImage(settings, runtime);
        ContainerInfo action = await(lookup);
        log.context("actionId", action.id());
        List<String> credentialsFiles = credentials.configFiles();
        ContainerPlan.credentialsMasks(action, credentialsFiles).forEach(file -> log.info(
            "the registry credentials file stays with the pull: masked with an empty file in the clone and the target",
            "file", file));
        ContainerSpec clone = ContainerPlan.clone(action, settings.image(), credentialsFiles);
        requireCarried(runtime, clone);
        List<String> uncarried = runtime.uncarried(clone);
        if (!uncarried.isEmpty()) {
            log.warn("the runtime has no way to give these settings of the action to the clone and the target",
                "settings", String.join(", ", uncarried));
        }
        String cloneId;
        // Before the clone's start, so that no word of the clone's can come before it is listened for.
        Optional<ContainerRuntime.CloneReadiness> readiness = runtime.cloneReadiness();
        try {
            try {
                cloneId = runtime.createAndStart(clone);
            } catch (EngineException e) {
                throw new PhaseException("cannot start the clone: " + e.getMessage(),
                    "check the engine's log; the action's volumes and devices must exist on the host", e);
            }
            if (readiness.isPresent()) {
                awaitWatching(readiness.get(), cloneId);
            }
        } finally {
            readiness.ifPresent(ContainerRuntime.CloneReadiness::close);
        }
        log.info("clone started; the action is done", "cloneId", cloneId, "durationMs", millisSince(started));
    }

    /**
     * Where only a clone that watches can know when the action exited (containerd), the action ends once it
     * does: its exit is then the engine's own time. Never a failure: a clone that is slow to say so counts
     * from when it sees the action gone, later but never early.
     */
    private void awaitWatching(ContainerRuntime.CloneReadiness readiness, String cloneId) {
        long asked = System.nanoTime();
        ContainerRuntime.CloneReadiness.Answer answer;
        try {
            answer = readiness.await(cloneId, CLONE_WATCHING_LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = ContainerRuntime.CloneReadiness.Answer.SILENT;
        }
        switch (answer) {
            case WATCHING -> log.info("the clone watches for the action's exit", "cloneId", cloneId, "waitedMs", millisSince(asked));
            case ENDED -> log.warn("the clone ended before it watched for the action's exit: its own log says why", "cloneId", cloneId);
            case SILENT -> log.info("the clone did not say that it watches for the action's exit: its wait counts from when it"
                + " sees the action gone", "cloneId", cloneId, "waitedMs", millisSince(asked));
        }
    }

    /**
     * Every variable and mount reaches the clone and the target as the action has it, or nothing is
     * started: what a CLI would change, refuse or widen is named (never a value) with the fix.
     */
    public static void requireCarried(ContainerRuntime runtime, ContainerSpec clone) throws PhaseException {
        List<String> problems = runtime.cannotCarry(clone);
        if (!problems.isEmpty()) {
            throw new PhaseException(runtime.name() + " cannot give the clone and the target what the action was given as it is ("
                + String.join("; ", problems) + ")", runtime.cannotCarryFix(), null);
        }
    }

    private void ensureImage(Settings settings, ContainerRuntime runtime) throws PhaseException {
        pull.ensure(settings.image(), runtime);
    }

    /** A lookup on a thread of its own; the action waits for it only when it needs the answer. */
    private static Future<ContainerInfo> aside(Callable<ContainerInfo> lookup) {
        FutureTask<ContainerInfo> answer = new FutureTask<>(lookup);
        Thread thread = new Thread(answer, "own-container-lookup");
        thread.setDaemon(true);
        thread.start();
        return answer;
    }

    /** The lookup's answer, or its failure as if it had been called here. */
    private static ContainerInfo await(Future<ContainerInfo> lookup) throws PhaseException {
        try {
            return lookup.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhaseException("interrupted while finding the action's own container",
                "run the action again", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PhaseException phase) {
                throw phase;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }
}
