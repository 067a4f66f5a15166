package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.HostProcess;
import dev.waitdaemon.support.TinkAgentEmulator.Action;

/**
 * The docker CLI of the host, reached the way nerdctl is on CaptainOS: no socket in the action, pid
 * host, and every call behind nsenter into a host process's namespaces.
 */
class DockerCliActionIT extends ActionContractIT {

    private static HostProcess host;

    @BeforeAll
    static void hostProcess() throws IOException {
        host = new HostProcess();
    }

    @AfterAll
    static void stopHostProcess() {
        host.close();
    }

    @Override
    EngineCli engine() {
        return EngineCli.DOCKER;
    }

    @Override
    String expectedRuntime() {
        return "docker-cli";
    }

    @Override
    Action reach(Action action) {
        return action.withEnv(env("CONTAINER_RUNTIME", "docker", "NERDCTL_HOST_PID", host.pid()));
    }

    @Override
    void assertPrivilegesCarried(JsonNode container) {
        assertThat(capabilities(container.at("/HostConfig/CapAdd"))).containsExactly("ALL");
        assertThat(capabilities(container.at("/HostConfig/CapDrop"))).containsExactly("SYS_RESOURCE");
    }
}
