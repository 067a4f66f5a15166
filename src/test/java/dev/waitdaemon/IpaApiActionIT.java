package dev.waitdaemon;

import java.util.List;

import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/**
 * An IPA ramdisk: podman 5 (Debian sid) with its API service as the machine's PID 1, only its socket
 * mounted into the action, host networking as IPA gives every action; auto-detection passes over the
 * missing Docker socket.
 */
class IpaApiActionIT extends MachineActionIT {

    private static final TestMachine MACHINE = TestMachine.ipa();

    @Override
    TestMachine machine() {
        return MACHINE;
    }

    @Override
    String expectedRuntime() {
        return "podman-api";
    }

    @Override
    Action reach(Action action) {
        return asIpaRunsIt(action).withVolumes(List.of(PODMAN_SOCKET));
    }
}
