package dev.waitdaemon;

/** The native variant through the host's docker CLI: the whole contract. */
class NativeDockerCliActionIT extends DockerCliActionIT {

    @Override
    String image() {
        return WAITDAEMON_NATIVE;
    }
}
