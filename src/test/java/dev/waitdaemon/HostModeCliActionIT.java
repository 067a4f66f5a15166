package dev.waitdaemon;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.waitdaemon.support.HostProcess;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/**
 * A CLI runtime reached the way nerdctl is on CaptainOS: no socket in the action, pid host, and every
 * call behind nsenter into a host process's namespaces, where the host's CLI talks to its engine.
 */
abstract class HostModeCliActionIT extends ActionContractIT {

    private HostProcess host;

    @BeforeAll
    void hostProcess() throws IOException {
        host = new HostProcess();
    }

    @AfterAll
    void stopHostProcess() {
        host.close();
    }

    @Override
    String expectedRuntime() {
        return engine().executable() + "-cli";
    }

    @Override
    Action reach(Action action) {
        return action.withEnv(Map.of("CONTAINER_RUNTIME", engine().executable(), "NERDCTL_HOST_PID", host.pid()));
    }
}
