package dev.waitdaemon.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs an image as a Tinkerbell action the way tink-agent's Docker runtime does: create with the
 * template's env, volumes, pid and network mode and its command as Cmd, privileged, start, wait for
 * the exit, and force-remove the container at once. On this sandbox's own Docker, --privileged cannot
 * start; there all capabilities but SYS_RESOURCE stand in for it. Podman, and the Docker of a test
 * machine, start it --privileged for real.
 */
public final class TinkAgentEmulator {

    /**
     * {@code mounts} are --mount options: tink-agent makes binds of a template's volumes, but an action
     * created by hand (or by another agent) may carry mounts.
     */
    public record Action(Map<String, String> env, List<String> volumes, String pidMode, String networkMode,
                         List<String> command, List<String> mounts, List<String> createOptions) {

        public static Action of(String... envPairs) {
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < envPairs.length; i += 2) {
                env.put(envPairs[i], envPairs[i + 1]);
            }
            return new Action(env, List.of(), "host", null, List.of(), List.of(), List.of());
        }

        public Action withEnv(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(env);
            merged.putAll(more);
            return new Action(merged, volumes, pidMode, networkMode, command, mounts, createOptions);
        }

        public Action withVolumes(List<String> more) {
            List<String> all = new ArrayList<>(volumes);
            all.addAll(more);
            return new Action(env, all, pidMode, networkMode, command, mounts, createOptions);
        }

        public Action withNetwork(String mode) {
            return new Action(env, volumes, pidMode, mode, command, mounts, createOptions);
        }

        /** The action's pid mode; null for a pid namespace of its own (tink-agent gives pid: host). */
        public Action withPid(String mode) {
            return new Action(env, volumes, mode, networkMode, command, mounts, createOptions);
        }

        public Action withCommand(String... args) {
            return new Action(env, volumes, pidMode, networkMode, List.of(args), mounts, createOptions);
        }

        /** Options of the engine's create that tink-agent's containerd runtime sets in its own way. */
        public Action withCreateOptions(String... more) {
            List<String> all = new ArrayList<>(createOptions);
            all.addAll(List.of(more));
            return new Action(env, volumes, pidMode, networkMode, command, mounts, all);
        }

        public Action withMounts(List<String> more) {
            List<String> all = new ArrayList<>(mounts);
            all.addAll(more);
            return new Action(env, volumes, pidMode, networkMode, command, all, createOptions);
        }
    }

    /** What the agent would know of the action once it is gone, and the engine's inspect of it before that. */
    public record Outcome(String actionId, int exitCode, String stdout, String stderr, Duration elapsed,
                          Instant finishedAt, JsonNode inspected) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineCli engine;
    private final String image;

    public TinkAgentEmulator(EngineCli engine, String image) {
        this.engine = engine;
        this.image = image;
    }

    public Outcome run(Action action) {
        List<String> create = new ArrayList<>(List.of("create"));
        create.addAll(engine.startsPrivileged() ? List.of("--privileged")
            : List.of("--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE"));
        if (action.pidMode() != null) {
            create.addAll(List.of("--pid", action.pidMode()));
        }
        if (action.networkMode() != null) {
            create.addAll(List.of("--network", action.networkMode()));
        }
        action.volumes().forEach(volume -> create.addAll(List.of("-v", volume)));
        action.mounts().forEach(mount -> create.addAll(List.of("--mount", mount)));
        create.addAll(action.createOptions());
        action.env().forEach((name, value) -> create.addAll(List.of("-e", name + "=" + value)));
        create.add(image);
        create.addAll(action.command());
        EngineCli.Result created = engine.run(create);
        String id = created.trimmed();
        if (!id.matches("[0-9a-f]{64}")) {
            throw new IllegalStateException(engine.executable() + " create did not give an id: " + id + "; stderr: "
                + created.err().trim() + " (" + String.join(" ", create) + ")");
        }
        long started = System.nanoTime();
        engine.run("start", "--attach", id);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        JsonNode inspected = inspect(id);
        JsonNode state = inspected.path("State");
        EngineCli.Result logs = engine.run("logs", id);
        engine.ok("rm", "--force", id);
        return new Outcome(id, state.path("ExitCode").asInt(-1), logs.out(), logs.err(), elapsed,
            Instant.parse(state.path("FinishedAt").asText()), inspected);
    }

    /** The engine's inspect JSON of one container (RFC 3339 times from docker and podman alike). */
    public JsonNode inspect(String id) {
        try {
            return JSON.readTree(engine.ok("inspect", id)).path(0);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
