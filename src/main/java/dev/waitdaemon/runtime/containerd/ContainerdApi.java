package dev.waitdaemon.runtime.containerd;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.runtime.EngineException;

/**
 * containerd's gRPC API, the part waitdaemon calls, in one namespace. Calls fail with
 * {@link EngineException} ({@link EngineException.NotFound} for a container or task that does not exist),
 * mapped by {@link ContainerdErrors}.
 */
public interface ContainerdApi extends AutoCloseable {

    ContainerdModel.Version version();

    ContainerdModel.Container container(String id);

    /** Containers matching every filter, in containerd's syntax (e.g. {@code labels."nerdctl/name"==x}). */
    List<ContainerdModel.Container> containers(String... filters);

    ContainerdModel.Image image(String name);

    /** A whole blob of the content store (a manifest, an index, a config): at most {@code limit} bytes. */
    byte[] blob(String digest, int limit);

    /**
     * Pulls {@code reference} into the image store under that name and unpacks it for linux/{@code
     * architecture} on {@code snapshotter}, all done by containerd's transfer service; {@code hostDir} is the
     * machine's folder of registry hosts.toml files (containerd's certs.d), read by containerd. The
     * credentials, when given, are answered on containerd's own stream when it asks for their registry's.
     * Blocks until done, at most {@code limit}.
     */
    void pull(String reference, String architecture, String snapshotter, String hostDir, Optional<RegistryCredentials> credentials,
        Duration limit);

    ContainerdModel.Task task(String containerId);

    /** The host pids of every process of the container's task. */
    List<Long> taskPids(String containerId);

    /** containerd's announcement of a task's process ending: {@code TaskExit}. */
    String EXIT_TOPIC = "/tasks/exit";

    /**
     * Starts keeping, from now on and until closed, what containerd announces in this namespace on {@code topics}:
     * the tasks' exits ({@link #EXIT_TOPIC}), the one record of an exit that outlives a task deleted at once, and
     * waitdaemon's own announcements ({@link #announce}).
     */
    EventWatch watch(List<String> topics);

    /** Announces {@code text} on {@code topic} (a path of identifiers) in this namespace, to every watch of it. */
    void announce(String topic, String text);

    /** What a watch has seen, by topic. */
    interface EventWatch extends AutoCloseable {

        /**
         * Whether containerd sends this watch what is announced from now on. containerd answers a subscription
         * with nothing until an event comes, so the watch announces probes of its own until one comes back; false
         * when none did within {@code limit}.
         */
        boolean awaitLive(Duration limit) throws InterruptedException;

        /** The exit of the container's own process, if containerd announced one since the watch began. */
        Optional<ContainerdModel.Exit> exitOf(String containerId);

        /** Whether {@code text} was announced on {@code topic} since the watch began, waiting for it at most {@code limit}. */
        boolean awaitAnnounced(String topic, String text, Duration limit) throws InterruptedException;

        @Override
        void close();
    }

    /** Waits for the task to exit (answers at once if it has) and says how it ended. */
    ContainerdModel.Exit awaitExit(String containerId, Duration limit);

    /** The committed snapshot under {@code key}: for a container's, the image's unpacked layers. */
    String snapshotParent(String snapshotter, String key);

    /** A new active snapshot on {@code parent}; the mounts of its root file system. */
    List<ContainerdModel.Mount> prepareSnapshot(String snapshotter, String key, String parent);

    /** The mounts of an active snapshot, as a task's root file system has them. */
    List<ContainerdModel.Mount> snapshotMounts(String snapshotter, String key);

    void removeSnapshot(String snapshotter, String key);

    void createContainer(ContainerdModel.NewContainer container);

    void deleteContainer(String id);

    /**
     * Creates the container's task on {@code rootfs}, its output going to {@code outputUri} (a file:// or
     * binary:// URI the shim writes itself, so that it needs no reader of ours); returns its pid.
     */
    long createTask(String containerId, List<ContainerdModel.Mount> rootfs, String outputUri);

    void startTask(String containerId);

    void killTask(String containerId, int signal);

    /** Deletes the task of the container (it must have exited); says how it ended. */
    ContainerdModel.Exit deleteTask(String containerId);

    @Override
    void close();
}
