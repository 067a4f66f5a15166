package dev.waitdaemon;

import java.util.Map;

import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/**
 * The docker CLI on HookOS in host mode: no socket in the action, pid host, and every call behind
 * nsenter into the machine's PID 1 (dockerd itself, NERDCTL_HOST_PID's default), where the machine's
 * own docker CLI talks to its engine.
 */
class HookosCliActionIT extends MachineActionIT {

    private static final TestMachine MACHINE = TestMachine.hookos();

    @Override
    TestMachine machine() {
        return MACHINE;
    }

    @Override
    String expectedRuntime() {
        return "docker-cli";
    }

    @Override
    Action reach(Action action) {
        return action.withEnv(Map.of("CONTAINER_RUNTIME", "docker"));
    }
}
