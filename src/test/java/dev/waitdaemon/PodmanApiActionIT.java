package dev.waitdaemon;

import java.util.List;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/**
 * Podman's Docker-compatible service, only its socket mounted: auto-detection must pass over the
 * missing Docker socket and pick podman. The action is truly --privileged (podman can start that
 * here), so the Privileged flag itself must reach the clone and the target.
 */
class PodmanApiActionIT extends ActionContractIT {

    @Override
    EngineCli engine() {
        return EngineCli.PODMAN;
    }

    @Override
    String expectedRuntime() {
        return "podman-api";
    }

    @Override
    Action reach(Action action) {
        return action.withVolumes(List.of(PODMAN_SOCKET));
    }
}
