package dev.waitdaemon;

import dev.waitdaemon.support.EngineCli;

/** Daemonless podman: the host's podman CLI, with a truly privileged action. */
class PodmanCliActionIT extends HostModeCliActionIT {

    @Override
    EngineCli engine() {
        return EngineCli.PODMAN;
    }
}
