package dev.waitdaemon;

import java.util.List;

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
        return action.withVolumes(List.of(DOCKER_SOCKET));
    }
}
