package dev.waitdaemon;

import dev.waitdaemon.support.EngineCli;

/** Daemonless podman: the host's podman CLI, with a truly privileged action. */
class PodmanCliActionIT extends HostModeCliActionIT {

    @Override
    EngineCli engine() {
        return EngineCli.PODMAN;
    }

    /**
     * Daemonless podman creates the clone's cgroups itself; nsenter (busybox's, in the image) cannot
     * enter the host's cgroup namespace, so from an action with a private one podman cannot start
     * containers. The init-process source is proven here on the other runtimes.
     */
    @Override
    String[] privateCgroupNamespace() {
        return new String[0];
    }
}
