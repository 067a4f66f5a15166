package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.support.DockerCli;
import dev.waitdaemon.support.TinkAgentEmulator;
import dev.waitdaemon.support.TinkAgentEmulator.Action;
import dev.waitdaemon.support.TinkAgentEmulator.Outcome;

/**
 * The Jib-built image as a Tinkerbell action on a real dockerd: what the agent sees, and what really
 * happens after it has reported.
 */
class DockerActionIT {

    static final String WAITDAEMON = System.getProperty("waitdaemon.it.image", "local/waitdaemon:dev");
    static final String TARGET = "local/waitdaemon-target:test";
    static final String BUSYBOX = "local/busybox:test";
    static final String SOCKET = "/var/run/docker.sock:/var/run/docker.sock";
    /** The action exits right after starting its clone: JVM start plus a few API calls. */
    static final Duration ACTION_EXIT_LIMIT = Duration.ofSeconds(10);

    private final TinkAgentEmulator agent = new TinkAgentEmulator(WAITDAEMON);
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> actionIds = new ArrayList<>();

    @BeforeEach
    void noWaitdaemonContainersAround() {
        removeLabelled("waitdaemon.phase");
    }

    @AfterEach
    void removeWhatTheActionsLeft() {
        removeLabelled("waitdaemon.phase");
    }

    @Test
    void reportsAtOnceThenStartsTheTargetAfterTheWaitWithTheActionsCommandEnvAndVolumes(@TempDir Path out)
        throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "3", "GREETING", "hello world")
            .withVolumes(SOCKET, out + ":/out")
            .withCommand("--help", "-c", "a b", "--"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(action.elapsed()).isLessThan(ACTION_EXIT_LIMIT);

        String targetId = awaitTarget(action, Duration.ofSeconds(30));
        awaitExit(targetId);
        Instant targetStarted = Instant.parse(DockerCli.ok("inspect", "--format", "{{.State.StartedAt}}", targetId));
        assertThat(Duration.between(action.finishedAt(), targetStarted))
            .as("WAIT_SECONDS counts from the action's exit").isGreaterThanOrEqualTo(Duration.ofSeconds(3));

        assertThat(Files.readString(out.resolve("entrypoint")).trim()).as("the target image's own entrypoint ran").isEqualTo("ran");
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("--help", "-c", "a b", "--");
        List<String> env = Files.readAllLines(out.resolve("env"));
        assertThat(env).contains("GREETING=hello world", "IMAGE=" + TARGET, "WAIT_SECONDS=3")
            .doesNotContain("WAITDAEMON_PHASE=clone")
            .filteredOn(line -> line.startsWith("PATH=")).containsExactly("PATH=/bin");

        JsonNode target = inspect(targetId);
        assertThat(target.at("/Config/Entrypoint/0").asText()).isEqualTo("/bin/target-entry");
        assertThat(target.at("/Config/Image").asText()).isEqualTo(TARGET);
        assertThat(target.at("/Config/Labels/waitdaemon.phase").asText()).isEqualTo("target");
        assertThat(target.at("/Config/Labels/waitdaemon.action").asText()).isEqualTo(action.actionId());
        assertThat(target.at("/HostConfig/PidMode").asText()).isEqualTo("host");
        assertThat(texts(target.at("/HostConfig/Binds"))).as("the engine keeps no order").containsExactlyInAnyOrder(SOCKET, out + ":/out");
        assertThat(capabilities(target.at("/HostConfig/CapAdd"))).containsExactly("ALL");
        assertThat(capabilities(target.at("/HostConfig/CapDrop"))).containsExactly("SYS_RESOURCE");

        JsonNode clone = inspect(labelled("waitdaemon.phase=clone", action).get(0));
        assertThat(texts(clone.at("/Config/Env"))).contains("WAITDAEMON_PHASE=clone", "GREETING=hello world");
        assertThat(clone.at("/State/ExitCode").asInt()).as("the clone ends once the target has started").isZero();
    }

    @Test
    void logsOneJsonEventPerLineWithPhaseImageRuntimeAndIds() throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : action.stdout().split("\n")) {
            if (!line.isBlank()) {
                events.add(json.readTree(line));
            }
        }
        assertThat(events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.at("/mdc/phase").asText()).isEqualTo("first-fork");
            assertThat(event.at("/mdc/image").asText()).isEqualTo(TARGET);
            assertThat(event.at("/mdc/runtime").asText()).isEqualTo("docker-api");
        });
        JsonNode started = events.get(events.size() - 1);
        assertThat(started.get("message").asText()).startsWith("clone started");
        assertThat(started.at("/mdc/actionId").asText()).isEqualTo(action.actionId());
        assertThat(started.at("/mdc/cloneId").asText()).matches("[0-9a-f]{64}");
        assertThat(started.at("/mdc/durationMs").asLong()).isPositive();
    }

    @Test
    void worksWithHostNetworkingWhereTheHostnameIsTheHosts(@TempDir Path out) throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0")
            .withVolumes(SOCKET, out + ":/out").withNetwork("host").withCommand("reboot"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String targetId = awaitTarget(action, Duration.ofSeconds(30));
        awaitExit(targetId);
        assertThat(inspect(targetId).at("/HostConfig/NetworkMode").asText()).isEqualTo("host");
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("reboot");
    }

    @Test
    void aMissingImageFailsAsInvalidConfigurationAndStartsNothing() {
        Outcome action = run(Action.of("WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).isEqualTo(3);
        assertThat(action.stderr()).contains("waitdaemon: invalid configuration: IMAGE is not set");
        assertNothingStarted(action);
    }

    @Test
    void aBadWaitFailsAsInvalidConfigurationAndStartsNothing() {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "1.5"));

        assertThat(action.exitCode()).isEqualTo(3);
        assertThat(action.stderr()).contains("WAIT_SECONDS='1.5' is not a whole number of seconds");
        assertNothingStarted(action);
    }

    @Test
    void anUnpullableImageFailsTheFirstForkAndStartsNothing() {
        Outcome action = run(Action.of("IMAGE", "127.0.0.1:9/waitdaemon/absent:1", "WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).isEqualTo(1);
        assertThat(action.stderr()).contains("IMAGE 127.0.0.1:9/waitdaemon/absent:1 could not be pulled");
        assertNothingStarted(action);
    }

    @Test
    void withoutTheEngineSocketNoRuntimeIsUsable() {
        Outcome action = run(Action.of("IMAGE", TARGET).withVolumes());

        assertThat(action.exitCode()).isEqualTo(12);
        assertThat(action.stderr()).contains("docker-api: no socket at /var/run/docker.sock")
            .contains("mount it into the action");
    }

    @Test
    void removesExitedClonesOfEarlierRunsButKeepsTheNewest() {
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            earlier.add(DockerCli.ok("run", "--detach", "--label", "waitdaemon.phase=clone", "--label",
                "waitdaemon.action=earlier", BUSYBOX, "true"));
        }
        earlier.forEach(this::awaitExit);

        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String remaining = DockerCli.ok("ps", "--all", "--quiet", "--no-trunc", "--filter", "label=waitdaemon.action=earlier");
        assertThat(remaining.lines()).hasSize(3);
    }

    private Outcome run(Action action) {
        Outcome outcome = agent.run(action);
        actionIds.add(outcome.actionId());
        return outcome;
    }

    private void assertNothingStarted(Outcome action) {
        assertThat(labelled("waitdaemon.action=" + action.actionId())).as("containers descending from the action").isEmpty();
    }

    private String awaitTarget(Outcome action, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> targets = labelled("waitdaemon.phase=target", action);
            if (!targets.isEmpty()) {
                return targets.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no target within " + limit + "; clone logs: " + cloneLogs(action) + "\naction: " + describe(action));
    }

    private String cloneLogs(Outcome action) {
        return labelled("waitdaemon.phase=clone", action).stream()
            .map(id -> DockerCli.run("logs", id)).map(r -> r.out() + r.err()).reduce("", String::concat);
    }

    private void awaitExit(String id) {
        DockerCli.ok("wait", id);
    }

    private List<String> labelled(String label, Outcome action) {
        String out = DockerCli.ok("ps", "--all", "--quiet", "--no-trunc", "--filter", "label=" + label,
            "--filter", "label=waitdaemon.action=" + action.actionId());
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    private List<String> labelled(String label) {
        return DockerCli.ok("ps", "--all", "--quiet", "--no-trunc", "--filter", "label=" + label)
            .lines().filter(line -> !line.isBlank()).toList();
    }

    private void removeLabelled(String label) {
        List<String> ids = labelled(label);
        if (!ids.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "--force"));
            rm.addAll(ids);
            DockerCli.run(rm);
        }
    }

    private JsonNode inspect(String id) throws IOException {
        return json.readTree(DockerCli.ok("inspect", id)).get(0);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    /** Docker reports capabilities with or without the CAP_ prefix, depending on how they were given. */
    private static List<String> capabilities(JsonNode array) {
        return texts(array).stream().map(cap -> cap.replaceFirst("^CAP_", "")).toList();
    }

    private static String describe(Outcome action) {
        return "action exit " + action.exitCode() + "\nstdout:\n" + action.stdout() + "\nstderr:\n" + action.stderr();
    }
}
