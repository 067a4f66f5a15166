package dev.waitdaemon.runtime.containerd;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.waitdaemon.runtime.EngineException;

/**
 * Makes a container on containerd the way its own clients do: the record, then a fresh snapshot it owns
 * (the record holds the snapshot, so containerd's garbage collector leaves it alone), then the task, which
 * is started. What fails midway is taken down again, in reverse, so that nothing half-made stays.
 */
public final class ContainerdLaunch {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A killed task's exit, before it can be deleted. */
    private static final java.time.Duration TAKE_DOWN_LIMIT = java.time.Duration.ofSeconds(10);

    private ContainerdLaunch() {
    }

    /**
     * The spec of a container that is {@code original} (id {@code originalId}) with another process: only
     * the arguments and the environment change, and the cgroup path, which names the container, so that the
     * new one has a cgroup of its own with the same limits. Mounts, namespaces, capabilities, devices,
     * rlimits, hostname and everything else stay as they are.
     */
    public static String respec(String original, String originalId, String id, List<String> args, List<String> env) {
        try {
            ObjectNode spec = (ObjectNode) JSON.readTree(original);
            ObjectNode process = spec.with("process");
            ArrayNode argv = process.putArray("args");
            args.forEach(argv::add);
            ArrayNode environment = process.putArray("env");
            env.forEach(environment::add);
            if (spec.path("linux").isObject()) {
                ObjectNode linux = (ObjectNode) spec.get("linux");
                String cgroups = linux.path("cgroupsPath").asText("");
                if (cgroups.contains(originalId)) {
                    linux.put("cgroupsPath", cgroups.replace(originalId, id));
                } else if (!cgroups.isEmpty()) {
                    // A path that does not name the container: runc's default (named after the id) instead.
                    linux.remove("cgroupsPath");
                }
            }
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new EngineException("the container's OCI spec is not a JSON object: " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code container} on a new snapshot over {@code parent} and starts its task, with its output
     * going to {@code outputUri}; returns the task's pid.
     */
    public static long start(ContainerdApi api, ContainerdModel.NewContainer container, String parent, String outputUri) {
        api.createContainer(container);
        boolean snapshot = false;
        boolean task = false;
        try {
            List<ContainerdModel.Mount> rootfs = api.prepareSnapshot(container.snapshotter(), container.snapshotKey(), parent);
            snapshot = true;
            long pid = api.createTask(container.id(), rootfs, outputUri);
            task = true;
            api.startTask(container.id());
            return pid;
        } catch (EngineException e) {
            takeDown(api, container, snapshot, task, e);
            throw e;
        }
    }

    private static void takeDown(ContainerdApi api, ContainerdModel.NewContainer container, boolean snapshot, boolean task,
        EngineException cause) {
        if (task) {
            attempt(() -> api.killTask(container.id(), 9), cause);
            attempt(() -> api.awaitExit(container.id(), TAKE_DOWN_LIMIT), cause);
            attempt(() -> api.deleteTask(container.id()), cause);
        }
        if (snapshot) {
            attempt(() -> api.removeSnapshot(container.snapshotter(), container.snapshotKey()), cause);
        }
        attempt(() -> api.deleteContainer(container.id()), cause);
    }

    private static void attempt(Runnable step, EngineException cause) {
        try {
            step.run();
        } catch (EngineException e) {
            cause.addSuppressed(e);
        }
    }
}
