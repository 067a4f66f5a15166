package dev.waitdaemon;

/** The native variant through the host's podman CLI: the whole contract. */
class NativePodmanCliActionIT extends PodmanCliActionIT {

    @Override
    String image() {
        return WAITDAEMON_NATIVE;
    }
}
