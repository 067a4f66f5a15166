package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.waitdaemon.support.ContainerdAgentEmulator;
import dev.waitdaemon.support.MachineLogOnFailure;
import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TinkAgentEmulator;
import dev.waitdaemon.support.TinkAgentEmulator.Action;
import dev.waitdaemon.support.TinkAgentEmulator.Outcome;

/**
 * What waitdaemon exists for: the action reports success, and then the machine really goes down,
 * WAIT_SECONDS later. The target runs busybox's reboot -f (or poweroff -f) with pid: host in a test
 * machine (HookOS's Docker 28, an IPA ramdisk's podman 5, CaptainOS's containerd 2.1); reboot(2) outside the kernel's first pid namespace ends that namespace's init, the machine's
 * engine, with SIGHUP (restart) or SIGINT (power off), which podman reports as 129 or 130. The host is
 * never touched, and kexec is never tried: it is not confined by namespaces ({@link VirtualMachineIT} tries it,
 * and a real kernel's reboot, in a virtual machine).
 */
@ExtendWith(MachineLogOnFailure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachineRebootIT {

    private static final int WAIT_SECONDS = 3;
    /** How late the machine may go down after the action's exit plus WAIT_SECONDS. */
    private static final Duration LATENESS_LIMIT = Duration.ofSeconds(2);

    private final Map<String, TestMachine> machines = Map.of("hookos", TestMachine.hookos(), "ipa", TestMachine.ipa(),
        "captainos", TestMachine.captainos());

    @AfterAll
    void machinesOff() {
        machines.values().forEach(TestMachine::stop);
    }

    @ParameterizedTest(name = "{0} on {1} through its {2}: the machine ends with {3}")
    @CsvSource({
        "reboot, hookos, API, 129",
        "poweroff, hookos, API, 130",
        "reboot, hookos, CLI, 129",
        "poweroff, hookos, CLI, 130",
        "reboot, ipa, API, 129",
        "poweroff, ipa, API, 130" })
    void theActionReportsSuccessThenTheMachineGoesDownAfterTheWait(String command, String kind, String reach,
                                                                    int signalExit) throws Exception {
        TestMachine machine = machines.get(kind);
        TinkAgentEmulator agent = new TinkAgentEmulator(ActionContractIT.startedWithImages(machine), ActionContractIT.WAITDAEMON);
        Action action = Action.of("IMAGE", ActionContractIT.BUSYBOX, "WAIT_SECONDS", Integer.toString(WAIT_SECONDS))
            .withCommand("/bin/busybox", command, "-f");
        String socket = kind.equals("hookos") ? ActionContractIT.DOCKER_SOCKET : ActionContractIT.PODMAN_SOCKET;
        action = reach.equals("API") ? action.withVolumes(List.of(socket))
            : action.withEnv(Map.of("CONTAINER_RUNTIME", kind.equals("hookos") ? "docker" : "podman"));

        Outcome outcome = agent.run(action);
        // The agent has seen the exit, read the log and force-removed the action: its report is on its way.
        Instant reported = Instant.now();
        TestMachine.End end = machine.awaitEnd(Duration.ofMinutes(2));

        assertThat(outcome.exitCode()).as(ActionContractIT.describe(outcome)).isZero();
        assertThat(outcome.stderr()).as("a successful action's stderr").isEmpty();
        assertThat(reported).as("the action was reported and removed before the machine went down").isBefore(end.at());
        assertThat(end.exitCode()).as("the machine's init ended by the kernel's signal for " + command).isEqualTo(signalExit);
        Instant due = outcome.finishedAt().plusSeconds(WAIT_SECONDS);
        assertThat(end.at()).as("never before the action's exit + WAIT_SECONDS").isAfterOrEqualTo(due)
            .as("and at most " + LATENESS_LIMIT + " after it").isBeforeOrEqualTo(due.plus(LATENESS_LIMIT));
    }

    /**
     * CaptainOS: containerd as the machine's PID 1, the action created as tink-agent creates it (pid: host,
     * deleted as soon as it succeeded), waitdaemon reaching containerd through PID 1's root.
     */
    @ParameterizedTest(name = "{0} on captainos through containerd's API: the machine ends with {1}")
    @CsvSource({ "reboot, 129", "poweroff, 130" })
    void onCaptainosTheActionReportsSuccessThenTheMachineGoesDownAfterTheWait(String command, int signalExit) throws Exception {
        TestMachine machine = machines.get("captainos");
        machine.start(List.of(ActionContractIT.WAITDAEMON, ActionContractIT.BUSYBOX));
        ContainerdAgentEmulator agent = new ContainerdAgentEmulator(machine);
        ContainerdAgentEmulator.Outcome outcome = agent.run(new ContainerdAgentEmulator.Action("reboot",
            machine.containerdImage(ActionContractIT.WAITDAEMON), List.of("/bin/busybox", command, "-f"),
            Map.of("IMAGE", ActionContractIT.BUSYBOX, "WAIT_SECONDS", Integer.toString(WAIT_SECONDS)), List.of(), true));
        // The agent has seen the exit and deleted the action: its report is on its way.
        Instant reported = Instant.now();
        TestMachine.End end = machine.awaitEnd(Duration.ofMinutes(2));

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(reported).as("the action was reported and deleted before the machine went down").isBefore(end.at());
        assertThat(end.exitCode()).as("the machine's init ended by the kernel's signal for " + command).isEqualTo(signalExit);
        Instant due = outcome.finishedAt().plusSeconds(WAIT_SECONDS);
        assertThat(end.at()).as("never before the action's exit + WAIT_SECONDS").isAfterOrEqualTo(due)
            .as("and at most " + LATENESS_LIMIT + " after it").isBeforeOrEqualTo(due.plus(LATENESS_LIMIT));
    }
}
