package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.VirtualMachine;
import dev.waitdaemon.support.VirtualMachine.ConsoleLine;

/**
 * The machine's whole life as Smee boots it, on a real kernel: vm.sh's virtual machine (Debian sid's kernel,
 * Docker 28 as on HookOS, qemu's software emulation in a network namespace with only loopback) is booted with
 * a kernel command line as Smee's iPXE script gives it. Inside, each action is created as tink-agent creates one
 * and the target really kexecs or reboots the kernel after the action's reported success. Smee's stand-in is a
 * UDP listener on the namespace's loopback (the guest's 10.0.2.2). kexec and reboot run nowhere but in the VM.
 *
 * Times: a guest's "case:" line carries the engine's record of the action's exit and the guest's clock when it
 * printed; this side notes when it saw the line. The exit on this side's clock is then at most seen - (now -
 * finished), so "no earlier than the exit + WAIT_SECONDS" is checked against a bound that is never too early.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualMachineIT {

    static final String NATIVE = ActionContractIT.WAITDAEMON_NATIVE;
    static final String JVM = ActionContractIT.WAITDAEMON;
    /** qemu's MAC for the guest's first NIC, which Smee's command line names as the worker and its address. */
    static final String MAC = "52:54:00:12:34:56";
    /** A boot's whole life, from qemu's start to its end, on this busy machine (a quiet one needs a third). */
    static final Duration BOOT_LIMIT = Duration.ofMinutes(10);
    private static final Pattern EXITED = Pattern.compile(
        "case: (\\S+) action (\\S+) exited (\\d+) finished ([0-9.]+) now ([0-9.]+)");

    private final Path work = Path.of("target/vm-it").toAbsolutePath();
    private Path vmFolder;
    private Path images;

    @BeforeAll
    void imagesForTheGuest() throws IOException {
        vmFolder = VirtualMachine.build();
        Files.createDirectories(work);
        images = work.resolve("images");
        deleteTree(images);
        Files.createDirectories(images);
        // One file each: a boot loads only what it runs (docker load under emulation takes seconds per 10 MB).
        EngineCli.DOCKER.ok("save", "-o", images.resolve("native.tar").toString(), NATIVE);
        EngineCli.DOCKER.ok("save", "-o", images.resolve("jvm.tar").toString(), JVM);
    }

    /** An action as the guest's case script reported it: its exit, and when its exit was at the latest here. */
    record ActionRecord(String id, int exitCode, long latestExitNanos) {
        static ActionRecord of(ConsoleLine line) {
            Matcher matcher = EXITED.matcher(line.text());
            assertThat(matcher.find()).as(line.text()).isTrue();
            double printedAfterExit = Double.parseDouble(matcher.group(5)) - Double.parseDouble(matcher.group(4));
            assertThat(printedAfterExit).as("the engine's exit time is in the past: " + line.text()).isNotNegative();
            return new ActionRecord(matcher.group(2), Integer.parseInt(matcher.group(3)),
                line.seenNanos() - (long) (printedAfterExit * 1e9));
        }
    }

    /** Boots with a case script of src/test/resources/vm, after laying out its transfer disk with the images it loads. */
    VirtualMachine boot(String name, String cmdline, int smeePort, String daemonJson, String... imageFiles) throws IOException {
        Path folder = work.resolve(name);
        Path transfer = folder.resolve("xfer");
        deleteTree(folder);
        Files.createDirectories(transfer);
        try (InputStream script = VirtualMachineIT.class.getResourceAsStream("/vm/" + name + ".sh")) {
            Files.copy(script, transfer.resolve("case"));
        }
        transfer.resolve("case").toFile().setExecutable(true);
        for (String image : imageFiles) {
            Files.createLink(transfer.resolve(image), images.resolve(image));
        }
        Files.writeString(transfer.resolve("images.env"), "NATIVE=" + NATIVE + "\nJVM=" + JVM + "\n");
        Files.copy(vmFolder.resolve("vmlinuz"), transfer.resolve("vmlinuz"));
        Files.copy(vmFolder.resolve("marker.cpio"), transfer.resolve("marker.cpio"));
        if (daemonJson != null) {
            Files.writeString(transfer.resolve("daemon.json"), daemonJson);
        }
        return VirtualMachine.boot(cmdline, transfer, smeePort, folder);
    }

    /** The datagrams Smee's stand-in got that name the action and hold the text. */
    static List<String> datagrams(String received, String actionId, String text) {
        List<String> found = new ArrayList<>();
        for (String datagram : received.split("(?=<[0-9]{1,3}>)")) {
            if (datagram.contains(actionId) && datagram.contains(text)) {
                found.add(datagram);
            }
        }
        return found;
    }

    static void deleteTree(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (var paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** One boot of the VM, ended after its tests whatever happened. */
    abstract class Boot {

        /** As the case scripts set it: the agent's inspect and force-remove must be done before the kernel goes. */
        static final int WAIT_SECONDS = 10;
        VirtualMachine vm;

        @AfterAll
        void stop() throws InterruptedException {
            if (vm != null) {
                vm.close();
            }
        }
    }

    /**
     * The daemon's default log driver (json-file), so the clone itself reports to Smee, found through the
     * kernel command line's syslog_host alone (with a port). Two kexecs that cannot load (native, then JVM),
     * then one into a second kernel (native).
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Kexec extends Boot {

        private ActionRecord failedNative;
        private ActionRecord failedJvm;
        private ActionRecord kexec;
        private ConsoleLine marker;
        private String smee;

        @BeforeAll
        void bootAndRunTheCase() throws Exception {
            vm = boot("kexec-boot", "syslog_host=10.0.2.2:5140 worker_id=" + MAC + " hw_addr=" + MAC, 5140, null, "native.tar", "jvm.tar");
            failedNative = ActionRecord.of(vm.await(line -> line.startsWith("case: failed-native action "), "the first action's exit", BOOT_LIMIT));
            vm.await(line -> line.startsWith("case: failed-native clone ended"), "the first clone's end", BOOT_LIMIT);
            failedJvm = ActionRecord.of(vm.await(line -> line.startsWith("case: failed-jvm action "), "the second action's exit", BOOT_LIMIT));
            vm.await(line -> line.startsWith("case: failed-jvm clone ended"), "the second clone's end", BOOT_LIMIT);
            kexec = ActionRecord.of(vm.await(line -> line.startsWith("case: kexec action "), "the kexec action's exit", BOOT_LIMIT));
            // 21 s on a quiet machine; a second kernel that died ends qemu (panic=1) and this at once.
            marker = vm.await(line -> line.startsWith("second kernel: marker"), "the second kernel's marker", Duration.ofMinutes(3));
            vm.awaitEnd("the second kernel's power-off", Duration.ofMinutes(2));
            smee = vm.smeeReceived();
        }

        @Test
        void eachActionExitedZeroAndWasRemovedAsTheAgentRemovesIt() throws IOException {
            for (String name : List.of("failed-native", "failed-jvm", "kexec")) {
                assertThat(vm.seen(line -> line.equals("case: " + name + " action removed"))).as(name).isPresent();
            }
            assertThat(List.of(failedNative.exitCode(), failedJvm.exitCode(), kexec.exitCode())).containsOnly(0);
        }

        @Test
        void theSecondKernelStartedNoEarlierThanTheActionsExitPlusWaitSeconds() throws IOException {
            assertThat(marker.seenNanos() - kexec.latestExitNanos()).as("from the action's exit to the marker, ns")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(WAIT_SECONDS).toNanos());
            assertThat(marker.text()).as("the command line the target's kexec gave").contains("installed_os=1");
            assertThat(vm.seen(line -> line.contains("without a kexec"))).isEmpty();
        }

        @Test
        void theClonesTargetStartedReachedSmeeThroughTheKernelCommandLine() {
            assertThat(datagrams(smee, kexec.id(), "\"message\":\"target started\"")).singleElement().asString()
                .as("RFC 5424, the machine named by hw_addr, app-name waitdaemon")
                .matches("(?s)<\\d+>1 \\S+ " + MAC + " waitdaemon \\d+ \\S+ - \\{.*");
        }

        @Test
        void aNativeClonesTargetThatCannotLoadIsReportedOnceWithItsExitCodeAndLastLines() {
            assertFailedKexecReportedOnce(failedNative);
        }

        @Test
        void aJvmClonesTargetThatCannotLoadIsReportedOnceWithItsExitCodeAndLastLines() {
            assertFailedKexecReportedOnce(failedJvm);
        }

        private void assertFailedKexecReportedOnce(ActionRecord action) {
            // kexec-tools' own words for a file that is no kernel, and its exit code, as the guest's kexec gave them.
            assertThat(datagrams(smee, action.id(), "\"message\":\"target exited\"")).singleElement().asString()
                .contains("\"exitCode\":\"255\"").contains("Cannot determine the file type of /xfer/marker.cpio");
        }
    }

    /**
     * Docker configured as HookOS configures it: the syslog log driver to Smee, so the engine sends the clone's
     * events and the clone must not send them again. syslog_host names no port (514). The target reboots.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RebootOnHookosDocker extends Boot {

        private ActionRecord action;
        private long qemuEnded;
        private String smee;

        @BeforeAll
        void bootAndRunTheCase() throws Exception {
            vm = boot("reboot-boot", "syslog_host=10.0.2.2 worker_id=" + MAC + " hw_addr=" + MAC, 514,
                "{\"log-driver\": \"syslog\", \"log-opts\": {\"syslog-address\": \"udp://10.0.2.2:514\"}}\n", "native.tar");
            action = ActionRecord.of(vm.await(line -> line.startsWith("case: reboot action "), "the action's exit", BOOT_LIMIT));
            qemuEnded = vm.awaitEnd("the reboot", BOOT_LIMIT);
            smee = vm.smeeReceived();
        }

        @Test
        void theActionExitedZeroAndWasRemoved() throws IOException {
            assertThat(action.exitCode()).isZero();
            assertThat(vm.seen(line -> line.equals("case: reboot action removed"))).isPresent();
        }

        @Test
        void theKernelRestartedNoEarlierThanTheActionsExitPlusWaitSeconds() throws IOException {
            assertThat(vm.seen(line -> line.contains("reboot: Restarting system"))).as("the kernel's own word").isPresent();
            assertThat(qemuEnded - action.latestExitNanos()).as("from the action's exit to qemu's end, ns")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(WAIT_SECONDS).toNanos());
            assertThat(vm.seen(line -> line.contains("without a reboot"))).isEmpty();
        }

        @Test
        void eachCloneEventReachedSmeeOnceThroughDockersSyslogDriverAlone() {
            assertThat(datagrams(smee, action.id(), "\"message\":\"waiting before starting the target\"")).as(smee).hasSize(1);
            assertThat(smee).as("nothing from the clone's own sender").doesNotContain(" waitdaemon ");
        }
    }
}
