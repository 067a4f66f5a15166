package dev.waitdaemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/**
 * The podman CLI of an IPA ramdisk in host mode: nsenter into a host process, where the machine's own
 * daemonless podman shares the service's storage; host networking as IPA gives every action. The host
 * process is a plain one of the machine (NERDCTL_HOST_PID), as a ramdisk's init would be: the machine's
 * PID 1 is podman's service, whose main thread has been seen in a stray network namespace.
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
        try {
            return asIpaRunsIt(action).withEnv(Map.of("CONTAINER_RUNTIME", "podman",
                "NERDCTL_HOST_PID", MACHINE.hostProcess()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
