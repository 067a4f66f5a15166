package dev.waitdaemon;

/** The native variant on podman's API service: the whole contract. */
class NativePodmanApiActionIT extends PodmanApiActionIT {

    @Override
    String image() {
        return WAITDAEMON_NATIVE;
    }
}
