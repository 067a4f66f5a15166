package dev.waitdaemon.runtime.containerd;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.waitdaemon.runtime.EngineRecord;

/** What waitdaemon reads from containerd, in its own terms (the generated messages stay in the client). */
public final class ContainerdModel {

    private ContainerdModel() {
    }

    /** The daemon's version, e.g. 2.1.9. */
    public record Version(String version, String revision) {
    }

    /**
     * A container record. {@code specJson} is the OCI runtime spec exactly as containerd stores it: the
     * clone is that spec with a few changes, never a translation of it.
     */
    public record Container(String id, Map<String, String> labels, String image, Runtime runtime, String specJson,
        String snapshotter, String snapshotKey, Instant createdAt) implements EngineRecord {

        public Container {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * The shim that runs a container (e.g. io.containerd.runc.v2) and its options, kept as containerd
     * stores them (a protobuf Any: its type and bytes), so that a clone gets the very same.
     */
    public record Runtime(String name, String optionsType, byte[] options) {

        public Runtime {
            options = options.clone();
        }

        @Override
        public byte[] options() {
            return options.clone();
        }
    }

    /** A container record to create: its task is made separately, on a snapshot prepared for it. */
    public record NewContainer(String id, Map<String, String> labels, String image, Runtime runtime, String specJson,
        String snapshotter, String snapshotKey) {

        public NewContainer {
            labels = Map.copyOf(labels);
        }
    }

    /** A mount of a task's root file system, as a snapshotter describes it. */
    public record Mount(String type, String source, String target, List<String> options) {

        public Mount {
            options = List.copyOf(options);
        }
    }

    /** An image record: its name and the blob it names (a manifest, or an index of manifests). */
    public record Image(String name, Descriptor target) {
    }

    /** A blob of the content store: what it is, its digest and size. */
    public record Descriptor(String mediaType, String digest, long size) {
    }

    /** containerd's task states (its task.proto). */
    public enum TaskStatus {
        UNKNOWN, CREATED, RUNNING, STOPPED, PAUSED, PAUSING
    }

    /** A container's task: its process, and how it ended once it has. */
    public record Task(String containerId, long pid, TaskStatus status, Optional<Exit> exit) {
    }

    /** How a task ended, as containerd recorded it (the shim's exit event). */
    public record Exit(int status, Instant at) {
    }
}
