package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.HostCommand;

/**
 * machine.sh beside another run's machine (a developer's test run in progress): it neither replaces nor
 * removes it. Before, its start force-removed the fixed-name machine the other run was using.
 */
class MachineScriptIT {

    private static final String PREFIX = "waitdaemon-script-test";
    private static final String OTHERS = PREFIX + "-hookos";

    @AfterEach
    void removeTheOtherRunsMachine() {
        HostCommand.run(Duration.ofMinutes(1), List.of("podman", "rm", "--force", "--time", "0", OTHERS));
    }

    private static EngineCli.Result script(String verb) {
        ProcessBuilder builder = new ProcessBuilder("bash", "src/scripts/machine.sh", verb, "hookos").redirectErrorStream(false);
        builder.environment().put("WAITDAEMON_MACHINE_PREFIX", PREFIX);
        builder.environment().put("WAITDAEMON_RUN_ID", "this-run");
        return HostCommand.run(Duration.ofMinutes(10), builder);
    }

    @Test
    void anotherRunsMachineIsNeitherReplacedNorRemoved() {
        HostCommand.ok(Duration.ofMinutes(1), "podman", "run", "--detach", "--name", OTHERS, "--label", "waitdaemon.run=another-run",
            "local/busybox:test", "sleep", "600");
        String before = HostCommand.ok(Duration.ofSeconds(30), "podman", "inspect", "--format", "{{.Id}}", OTHERS).trim();

        EngineCli.Result start = script("start");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(1);
        assertThat(start.err()).contains("the hookos machine is in use by another run (another-run)");

        EngineCli.Result stop = script("stop");
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.err()).contains("belongs to another run (another-run); left running");

        assertThat(HostCommand.ok(Duration.ofSeconds(30), "podman", "inspect", "--format", "{{.Id}} {{.State.Running}}", OTHERS).trim())
            .isEqualTo(before + " true");
    }

    /**
     * A run killed before its exit trap (a session that ended mid-run) leaves its machine running under its
     * id. Once that run's shell is gone the machine is no run's: before, the next run refused to start.
     */
    @Test
    void aMachineWhoseRunIsOverIsStopped() throws Exception {
        Process over = new ProcessBuilder("true").start();
        over.waitFor();
        long reused = ProcessHandle.current().pid();
        for (String overRun : List.of("run-" + over.pid() + "-1", "run-" + reused + "-1")) {
            HostCommand.ok(Duration.ofMinutes(1), "podman", "run", "--detach", "--name", OTHERS, "--label", "waitdaemon.run=" + overRun,
                "local/busybox:test", "sleep", "600");

            EngineCli.Result stop = script("stop");

            assertThat(stop.err()).as(overRun).doesNotContain("another run");
            assertThat(HostCommand.run(Duration.ofSeconds(30), List.of("podman", "container", "exists", OTHERS)).exitCode())
                .as(overRun).isNotZero();
        }
    }

    @Test
    void itsOwnRunsMachineOrOneNoRunHoldsIsStopped() {
        HostCommand.ok(Duration.ofMinutes(1), "podman", "run", "--detach", "--name", OTHERS, "--label", "waitdaemon.run=this-run",
            "local/busybox:test", "sleep", "600");

        assertThat(script("stop").exitCode()).isZero();

        assertThat(HostCommand.run(Duration.ofSeconds(30), List.of("podman", "container", "exists", OTHERS)).exitCode()).isNotZero();
    }
}
