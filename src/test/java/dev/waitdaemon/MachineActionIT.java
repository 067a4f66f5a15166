package dev.waitdaemon;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.MachineLogOnFailure;
import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/**
 * The action contract on a test machine: today's engine (Debian sid) as the machine's PID 1, actions
 * created truly --privileged. The machine's namespaces are the "host" its actions share.
 */
@ExtendWith(MachineLogOnFailure.class)
abstract class MachineActionIT extends ActionContractIT {

    /** The machine; a constant of the subclass, since the engine is settled while this class is built. */
    abstract TestMachine machine();

    @Override
    EngineCli engine() {
        return startedWithImages(machine());
    }

    @Override
    String hostNamespace(String kind) throws IOException {
        return machine().namespace(kind);
    }

    /**
     * An IPA ramdisk runs every action with {@code podman run --network=host}: the machine's podman never
     * makes a network namespace of its own (the template's network mode, where one is given, stays).
     */
    static Action asIpaRunsIt(Action action) {
        return action.networkMode() == null ? action.withNetwork("host") : action;
    }

    /** Smee's stand-in of the machine (machine.sh): its 127.0.0.1:514, as HookOS's log driver is configured. */
    @Override
    String smeeAddress() {
        return "udp://127.0.0.1:514";
    }

    @Override
    String smeeReceived() throws IOException {
        return machine().syslog();
    }

    @AfterAll
    void machineOff() {
        machine().stop();
    }
}
