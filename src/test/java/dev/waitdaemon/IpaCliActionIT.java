package dev.waitdaemon;

import java.util.Map;

import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/**
 * The podman CLI of an IPA ramdisk in host mode: nsenter into the machine's PID 1 (podman's service),
 * where the machine's own daemonless podman shares its storage; host networking as IPA gives every action.
 */
class IpaCliActionIT extends MachineActionIT {

    private static final TestMachine MACHINE = TestMachine.ipa();

    @Override
    TestMachine machine() {
        return MACHINE;
    }

    @Override
    String expectedRuntime() {
        return "podman-cli";
    }

    @Override
    Action reach(Action action) {
        return asIpaRunsIt(action).withEnv(Map.of("CONTAINER_RUNTIME", "podman"));
    }
}
