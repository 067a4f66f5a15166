package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

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
        return action.withVolumes(List.of("/var/run/docker.sock:/var/run/docker.sock"));
    }

    /** Docker here cannot start --privileged; the stand-in capabilities must reach the clone and target. */
    @Override
    void assertPrivilegesCarried(JsonNode container) {
        assertThat(capabilities(container.at("/HostConfig/CapAdd"))).containsExactly("ALL");
        assertThat(capabilities(container.at("/HostConfig/CapDrop"))).containsExactly("SYS_RESOURCE");
    }
}
