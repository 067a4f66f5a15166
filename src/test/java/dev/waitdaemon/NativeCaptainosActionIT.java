package dev.waitdaemon;

/**
 * The native image on the CaptainOS-like machine: the same contract through containerd's API, which the
 * native executable speaks with grpc-java's client over netty's epoll Unix socket.
 */
class NativeCaptainosActionIT extends CaptainosActionIT {

    @Override
    String imageUnderTest() {
        return ActionContractIT.WAITDAEMON_NATIVE;
    }
}
