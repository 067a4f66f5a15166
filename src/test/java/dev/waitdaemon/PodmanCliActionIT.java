package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.HostProcess;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/** Daemonless podman: its CLI on the host, behind nsenter, with a truly privileged action. */
class PodmanCliActionIT extends ActionContractIT {

    private static HostProcess host;

    @BeforeAll
    static void imageAndHostProcess() throws IOException {
        EngineCli.PODMAN.loadFromDocker(WAITDAEMON);
        host = new HostProcess();
    }

    @AfterAll
    static void stopHostProcess() {
        host.close();
    }

    @Override
    EngineCli engine() {
        return EngineCli.PODMAN;
    }

    @Override
    String expectedRuntime() {
        return "podman-cli";
    }

    @Override
    Action reach(Action action) {
        return action.withEnv(env("CONTAINER_RUNTIME", "podman", "NERDCTL_HOST_PID", host.pid()));
    }

    @Override
    void assertPrivilegesCarried(JsonNode container) {
        assertThat(container.at("/HostConfig/Privileged").asBoolean()).isTrue();
    }
}
