package dev.waitdaemon.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.ScopedProblem;
import dev.waitdaemon.registry.RegistryCredentials;

/**
 * The seam between the phases and a container engine. Implementations speak to one engine (its API or
 * its CLI) and translate to and from the neutral records of this package; every failure is an
 * {@link EngineException} carrying the engine's own message.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Short name for logs, e.g. {@code docker-api}. */
    String name();

    /** Whether this runtime reads the settings of that kind (the CLI runtimes read NERDCTL_HOST, say). */
    boolean reads(ScopedProblem.ReadBy settings);

    /** The image's id and default environment, or empty when the engine does not have it. */
    Optional<ImageInfo> inspectImage(String image);

    /**
     * Pulls the image, reading the engine's progress to the end; a failure anywhere in it throws. The
     * credentials, when given, go to the image's registry only, and never into an argument vector.
     */
    void pull(ImageReference image, Optional<RegistryCredentials> credentials);

    ContainerInfo inspectContainer(String id);

    /** Creates a detached container and does not start it; returns its id. */
    String create(ContainerSpec spec);

    /** Starts a container {@link #create} made. One that fails to start is removed: it is of no use to anyone. */
    default void start(String id) {
        try {
            startCreated(id);
        } catch (EngineException e) {
            try {
                remove(id);
            } catch (EngineException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Takes a created container as far towards running as the engine can without running any of its process,
     * so that its {@link #start} is quick (the clone's target, during the wait). Most engines have no such step.
     */
    default void prepareStart(String id) {
    }

    /** The engine's start of a created container, nothing more ({@link #start} tidies after a failure). */
    void startCreated(String id);

    /** Creates and starts a detached container; returns its id. A container that fails to start is removed. */
    default String createAndStart(ContainerSpec spec) {
        String id = create(spec);
        start(id);
        return id;
    }

    /**
     * The inherited settings of {@code spec} (as {@code Name=value}) that this runtime cannot give the
     * container it creates: the phases name them in a warning. An engine's API takes them all.
     */
    default List<String> uncarried(ContainerSpec spec) {
        return List.of();
    }

    /**
     * What of {@code spec} this runtime cannot give the container as the action has it, one line each
     * naming the variable or the mount and why (never a value): a value a CLI's env file would change or
     * refuse, a mount option its --mount cannot spell. An engine's API takes them all.
     */
    default List<String> cannotCarry(ContainerSpec spec) {
        return List.of();
    }

    /** What to do about what {@link #cannotCarry} names. */
    default String cannotCarryFix() {
        return "mount the engine's API socket into the action (the API runtimes pass everything as it is), or change what is named";
    }

    /** True while the container exists and runs; false once it has exited or is gone. */
    boolean isRunning(String id);

    /**
     * When the container exited, by the engine's own clock: from its inspect while it exists, else from
     * the die event the engine keeps. Empty while it runs, or when the engine can no longer tell.
     */
    Optional<Instant> exitedAt(String id);

    /**
     * The first fork's, before it starts the clone, where the engine forgets an action's exit with the action
     * and the clone can hear of it only while it watches (containerd): a way to learn that the clone has begun
     * to watch, so that the action ends after that. Empty elsewhere, or where it cannot be had: the clone then
     * counts the wait from when it sees the action gone (later, never earlier). Closed by the caller.
     */
    default Optional<CloneReadiness> cloneReadiness() {
        return Optional.empty();
    }

    /** See {@link #cloneReadiness}. */
    interface CloneReadiness extends AutoCloseable {

        /** What a clone answered, as far as the first fork waits for it. */
        enum Answer {
            /** It watches for the action's exit. */
            WATCHING,
            /** It ended before it said so. */
            ENDED,
            /** It said nothing in time, or cannot be told apart. */
            SILENT
        }

        /** Waits, at most {@code limit}, for the clone {@code cloneId} to say that it watches. */
        Answer await(String cloneId, Duration limit) throws InterruptedException;

        @Override
        void close();
    }

    /**
     * Whether {@link #exitedAt} can tell a removed container's exit time (the engine keeps its die
     * events). nerdctl cannot, and tink-agent removes an action as soon as it exits.
     */
    default boolean recordsExitTimes() {
        return true;
    }

    /**
     * The container's exit code once it has exited; empty while it runs.
     *
     * @throws EngineException.NotFound when the container is gone
     */
    Optional<Integer> exitCode(String id);

    /** The last {@code lines} lines the container printed, stdout and stderr together. */
    List<String> lastOutput(String id, int lines);

    /** Containers (running or not) carrying {@code label=value}, newest first. */
    List<ContainerSummary> listByLabel(String label, String value);

    /** The running containers in detail, their init processes' host pids included. */
    List<ContainerStatus> running();

    /** Every container carrying the label {@code label}, whatever its value, running or not, in detail. */
    List<ContainerStatus> labelled(String label);

    void remove(String id);

    @Override
    void close();
}
