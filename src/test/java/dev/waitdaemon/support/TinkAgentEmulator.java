package dev.waitdaemon.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an image as a Tinkerbell action the way tink-agent's Docker runtime does: create with the
 * template's env, volumes, pid and network mode and its command as Cmd, start, wait for the exit, and
 * force-remove the container at once. Privileged is stood in for by all capabilities but
 * SYS_RESOURCE, which this sandbox's Docker can grant (--privileged cannot start here).
 */
public final class TinkAgentEmulator {

    public record Action(Map<String, String> env, List<String> volumes, String pidMode, String networkMode,
                         List<String> command) {

        public static Action of(String... envPairs) {
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < envPairs.length; i += 2) {
                env.put(envPairs[i], envPairs[i + 1]);
            }
            return new Action(env, List.of("/var/run/docker.sock:/var/run/docker.sock"), "host", null, List.of());
        }

        public Action withVolumes(String... volumes) {
            return new Action(env, List.of(volumes), pidMode, networkMode, command);
        }

        public Action withNetwork(String mode) {
            return new Action(env, volumes, pidMode, mode, command);
        }

        public Action withCommand(String... args) {
            return new Action(env, volumes, pidMode, networkMode, List.of(args));
        }
    }

    /** What the agent would know of the action once it is gone. */
    public record Outcome(String actionId, int exitCode, String stdout, String stderr, Duration elapsed,
                          Instant finishedAt) {
    }

    private final String image;

    public TinkAgentEmulator(String image) {
        this.image = image;
    }

    public Outcome run(Action action) {
        List<String> create = new ArrayList<>(List.of("create", "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE"));
        if (action.pidMode() != null) {
            create.addAll(List.of("--pid", action.pidMode()));
        }
        if (action.networkMode() != null) {
            create.addAll(List.of("--network", action.networkMode()));
        }
        action.volumes().forEach(volume -> create.addAll(List.of("-v", volume)));
        action.env().forEach((name, value) -> create.addAll(List.of("-e", name + "=" + value)));
        create.add(image);
        create.addAll(action.command());
        String id = DockerCli.run(create).trimmed();
        if (!id.matches("[0-9a-f]{64}")) {
            throw new IllegalStateException("docker create did not give an id: " + id);
        }
        long started = System.nanoTime();
        DockerCli.run("start", "--attach", id);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String[] state = DockerCli.ok("inspect", "--format", "{{.State.ExitCode}} {{.State.FinishedAt}}", id).split(" ");
        DockerCli.Result logs = DockerCli.run("logs", id);
        DockerCli.ok("rm", "--force", id);
        return new Outcome(id, Integer.parseInt(state[0]), logs.out(), logs.err(), elapsed, Instant.parse(state[1]));
    }
}
