package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TinkAgentEmulator.Action;
import dev.waitdaemon.support.TinkAgentEmulator.Outcome;

/**
 * HookOS as operators run it: Docker 28 (Debian sid) with HookOS's daemon.json (the syslog log driver to
 * Smee), the socket mounted into the action, CONTAINER_RUNTIME left to auto.
 */
class HookosApiActionIT extends MachineActionIT {

    private static final TestMachine MACHINE = TestMachine.hookos();

    @Override
    TestMachine machine() {
        return MACHINE;
    }

    @Override
    String expectedRuntime() {
        return "docker-api";
    }

    @Override
    Action reach(Action action) {
        return action.withVolumes(List.of(DOCKER_SOCKET));
    }

    /**
     * What Smee sees: HookOS's log driver is syslog, so the clone's `target exited` event of a kexec that
     * could not load reaches the listener with its exit code and the target's last output; status still
     * reads the run (Docker reads logs back through its dual-logging cache).
     */
    @Test
    void aTargetThatFailsReachesSmeeWithItsExitCodeAndLastOutputAndStatusShowsIt() throws Exception {
        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0")
            .withCommand("/bin/busybox", "sh", "-c", "echo 'kexec_load failed: Invalid argument (the kernel did not load)'; exit 3"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String event = awaitSmeeEvents(action.actionId(), "\"message\":\"target exited\"", Duration.ofSeconds(60)).get(0);
        assertThat(event).contains("\"exitCode\":\"3\"").contains("kexec_load failed: Invalid argument");
        JsonNode run = statusJson(action);
        assertThat(run.at("/target/exitCode").asInt()).isEqualTo(3);
        assertThat(run.path("targetState").asText()).isEqualTo("exited (3)");
    }
}
