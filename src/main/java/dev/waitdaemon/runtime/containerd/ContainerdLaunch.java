package dev.waitdaemon.runtime.containerd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.support.EnvEntries;

/**
 * Makes a container on containerd the way its own clients do: the record, then a fresh snapshot it owns
 * (the record holds the snapshot, so containerd's garbage collector leaves it alone), then the task, which
 * is started. What fails midway is taken down again, in reverse, so that nothing half-made stays.
 */
public final class ContainerdLaunch {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A killed task's exit, before it can be deleted. */
    private static final Duration TAKE_DOWN_LIMIT = Duration.ofSeconds(10);

    private ContainerdLaunch() {
    }

    /**
     * The spec of a container that is {@code original} (id {@code originalId}) with another process: only
     * the arguments and the environment change, and the cgroup path, which names the container, so that the
     * new one has a cgroup of its own with the same limits. Mounts, namespaces, capabilities, devices,
     * rlimits, hostname and everything else stay as they are.
     */
    public static String respec(String original, String originalId, String id, List<String> args, List<String> env) {
        return respec(original, originalId, id, args, env, null, null);
    }

    /**
     * The same, for a container of another image: its working directory and its user as well
     * ({@code cwd} and {@code user} null: the original's).
     */
    public static String respec(String original, String originalId, String id, List<String> args, List<String> env, String cwd,
        int[] user) {
        try {
            ObjectNode spec = (ObjectNode) JSON.readTree(original);
            ObjectNode process = spec.with("process");
            ArrayNode argv = process.putArray("args");
            args.forEach(argv::add);
            ArrayNode environment = process.putArray("env");
            env.forEach(environment::add);
            if (cwd != null) {
                process.put("cwd", cwd);
            }
            if (user != null) {
                // The image's user only: its supplementary groups are the image's /etc/group's, unknown here.
                ObjectNode owner = process.putObject("user");
                owner.put("uid", user[0]);
                owner.put("gid", user[1]);
            }
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
     * What a container of {@code image} runs for {@code cmd}, as Docker runs it: the image's entrypoint, then
     * {@code cmd}, or the image's own Cmd where {@code cmd} is empty.
     */
    public static List<String> argsFor(ContainerdImages.ImageConfig image, List<String> cmd) {
        List<String> args = new ArrayList<>(image.entrypoint());
        args.addAll(cmd.isEmpty() ? image.cmd() : cmd);
        return args;
    }

    /** The image's environment with {@code env} laid over it, variable by variable. */
    public static List<String> envFor(ContainerdImages.ImageConfig image, List<String> env) {
        return EnvEntries.merged(image.env(), env);
    }

    /**
     * The image's user as the OCI spec takes it: {@code uid} or {@code uid:gid}, numbers (gid 0 when not
     * given); none is root. A name would need the image's /etc/passwd, which is not read here: refused by name.
     */
    public static int[] userFor(ContainerdImages.ImageConfig image) {
        String user = image.user();
        if (user.isEmpty()) {
            return new int[] {0, 0};
        }
        String[] parts = user.split(":", 2);
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            throw new EngineException("image " + image.name() + " runs as user '" + user
                + "', a name: the containerd runtime takes a numeric uid[:gid] only", e);
        }
    }

    /**
     * Where a target starts: the action's working directory where the operator gave it (it differs from
     * waitdaemon's own image's), else the target image's. The rule the other runtimes follow for an
     * image's defaults (ContainerPlan).
     */
    public static String cwdFor(String actionSpec, ContainerdImages.ImageConfig waitdaemon, ContainerdImages.ImageConfig target) {
        String given = processOf(actionSpec).path("cwd").asText("/");
        return given.equals(waitdaemon.workingDir()) ? target.workingDir() : given;
    }

    /**
     * Who a target runs as: the target image's user, unless the action's user was given by the operator (it
     * is not waitdaemon's own image's): then null, the action's whole user, its groups included.
     */
    public static int[] userFor(String actionSpec, ContainerdImages.ImageConfig waitdaemon, ContainerdImages.ImageConfig target) {
        JsonNode given = processOf(actionSpec).path("user");
        int[] own = userFor(waitdaemon);
        boolean imageDefault = given.path("uid").asInt(0) == own[0] && given.path("gid").asInt(0) == own[1];
        return imageDefault ? userFor(target) : null;
    }

    private static JsonNode processOf(String spec) {
        try {
            return JSON.readTree(spec).path("process");
        } catch (JsonProcessingException e) {
            throw new EngineException("the container's OCI spec is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code container} on a new snapshot over {@code parent} and starts its task, with its output
     * going to {@code outputUri}; returns the task's pid.
     */
    public static long start(ContainerdApi api, ContainerdModel.NewContainer container, String parent, String outputUri) {
        long pid = create(api, container, parent, outputUri);
        try {
            api.startTask(container.id());
        } catch (EngineException e) {
            takeDown(api, container, true, true, e);
            throw e;
        }
        return pid;
    }

    /**
     * Creates {@code container} on a new snapshot over {@code parent} and its task, not started (the runtime
     * has made the process, which waits for its start); returns the task's pid.
     */
    public static long create(ContainerdApi api, ContainerdModel.NewContainer container, String parent, String outputUri) {
        api.createContainer(container);
        boolean snapshot = false;
        try {
            List<ContainerdModel.Mount> rootfs = api.prepareSnapshot(container.snapshotter(), container.snapshotKey(), parent);
            snapshot = true;
            return api.createTask(container.id(), rootfs, outputUri);
        } catch (EngineException e) {
            takeDown(api, container, snapshot, false, e);
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
