package dev.waitdaemon;

import dev.waitdaemon.support.EngineCli;

/** The host's docker CLI, with dockerd behind it. */
class DockerCliActionIT extends HostModeCliActionIT {

    @Override
    EngineCli engine() {
        return EngineCli.DOCKER;
    }
}
