package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.HostCommand;
import dev.waitdaemon.support.TinkAgentEmulator.Action;
import dev.waitdaemon.support.TinkAgentEmulator.Outcome;

/** HookOS: dockerd's socket mounted into the action, CONTAINER_RUNTIME left to auto. */
class DockerApiActionIT extends ActionContractIT {

    @Override
    EngineCli engine() {
        return EngineCli.DOCKER;
    }

    @Override
    String expectedRuntime() {
        return "docker-api";
    }

    @Override
    Action reach(Action action) {
        return action.withVolumes(List.of(DOCKER_SOCKET));
    }

    /**
     * Docker keeps an action's --mac-address in Config.MacAddress. Copied, the clone started beside the
     * still-running action with the same MAC on the same bridge.
     */
    @Test
    void neitherTheCloneNorTheTargetTakesTheActionsMacAddress() throws Exception {
        String mac = "02:42:ac:11:00:99";
        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0").withNetwork("bridge")
            .withCreateOptions("--mac-address", mac).withCommand("true"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(action.inspected().at("/Config/MacAddress").asText()).as("what the engine kept of the action").isEqualTo(mac);
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine().ok("wait", targetId);
        List<String> descendants = engine().labelled("waitdaemon.action=" + action.actionId());
        assertThat(descendants).hasSize(2);
        for (String id : descendants) {
            JsonNode container = agent.inspect(id);
            assertThat(container.at("/Config/MacAddress").asText("")).as(id).isNotEqualTo(mac);
            assertThat(container.at("/NetworkSettings/Networks/bridge/MacAddress").asText("")).as(id).isNotEqualTo(mac);
        }
    }

    /**
     * --mount type=bind,...,bind-nonrecursive=true (docker 20.10's spelling; 25+ also takes
     * bind-recursive=disabled): the inspect's BindOptions say NonRecursive, and the target must get the same
     * bind, without the submount below it. Before, only Propagation survived the copy.
     */
    @Test
    void aNonRecursiveBindReachesTheTargetWithoutTheMountsBelowIt(@TempDir Path dir) throws Exception {
        Path top = Files.createDirectories(dir.resolve("top"));
        Path sub = Files.createDirectories(top.resolve("sub"));
        Path out = Files.createDirectories(dir.resolve("out"));
        HostCommand.ok(Duration.ofSeconds(30), "mount", "-t", "tmpfs", "-o", "size=1m", "waitdaemon-sub", sub.toString());
        try {
            Files.writeString(sub.resolve("on-the-submount"), "x");
            Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0").withVolumes(List.of(out + ":/out"))
                .withMounts(List.of("type=bind,source=" + top + ",target=/host,bind-nonrecursive=true"))
                .withCommand("sh", "-c", "ls -A /host/sub > /out/sub"));

            assertThat(action.exitCode()).as(describe(action)).isZero();
            assertThat(action.inspected().at("/HostConfig/Mounts/0/BindOptions/NonRecursive").asBoolean())
                .as("what the engine kept of the action").isTrue();
            String targetId = awaitTarget(action, Duration.ofSeconds(40));
            engine().ok("wait", targetId);
            assertThat(agent.inspect(targetId).at("/HostConfig/Mounts/0/BindOptions/NonRecursive").asBoolean()).isTrue();
            assertThat(Files.readString(out.resolve("sub"))).as("the submount stays out of the target").isEmpty();
        } finally {
            HostCommand.ok(Duration.ofSeconds(30), "umount", sub.toString());
        }
    }
}
