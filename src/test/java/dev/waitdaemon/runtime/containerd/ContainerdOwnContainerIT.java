package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.support.ContainerdAgentEmulator;
import dev.waitdaemon.support.TestMachine;

/**
 * Self-identification on containerd 2.1.9 (the CaptainOS-like machine): actions that tink-agent's way
 * created write what they see of themselves (their mount table, their pid), and the container found from
 * that is theirs, among others of the same name.
 */
class ContainerdOwnContainerIT {

    private static TestMachine machine;
    private static ContainerdAgentEmulator agent;
    private static String image;
    private static Path shared;

    @BeforeAll
    static void startMachine() throws IOException {
        machine = TestMachine.captainos().start(List.of("local/busybox:test"));
        agent = new ContainerdAgentEmulator(machine);
        image = machine.containerdImage("local/busybox:test");
        // A host folder the machine sees at the same path.
        shared = Files.createTempDirectory("containerd-own-");
    }

    @AfterAll
    static void stopMachine() {
        if (machine != null) {
            machine.stop();
        }
    }

    /** An action named "same-name" that writes its mount table and its pid (as its pid namespace numbers it). */
    private static String reporting(String report, boolean hostPid) throws IOException {
        return agent.start(new ContainerdAgentEmulator.Action("same-name", image, List.of("sh", "-c",
            "cat /proc/self/mountinfo > /report/" + report + ".mountinfo.tmp && mv /report/" + report + ".mountinfo.tmp /report/"
                + report + ".mountinfo && echo $$ > /report/" + report + ".pid.tmp && mv /report/" + report + ".pid.tmp /report/" + report
                + ".pid && sleep 600"),
            Map.of(), List.of(shared + ":/report"), hostPid));
    }

    @Test
    void itsWritableLayerNamesTheActionAmongOthersOfTheSameName() throws Exception {
        String wanted = reporting("wanted", false);
        String other = reporting("other", false);

        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            Optional<String> layer = OwnContainer.writableLayer(awaitReport("wanted.mountinfo"));
            assertThat(layer).isPresent();

            assertThat(ContainerdOwnContainer.find(api, layer, Set.of())).map(ContainerdModel.Container::id).contains(wanted);
            assertThat(ContainerdOwnContainer.find(api, OwnContainer.writableLayer(awaitReport("other.mountinfo")), Set.of()))
                .map(ContainerdModel.Container::id).contains(other);
        }
    }

    @Test
    void withTheHostsPidsItsTaskNamesTheAction() throws Exception {
        String wanted = reporting("host-pid", true);

        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            long pid = Long.parseLong(awaitReport("host-pid.pid").trim());

            assertThat(ContainerdOwnContainer.find(api, Optional.empty(), Set.of(1L, pid))).map(ContainerdModel.Container::id).contains(wanted);
        }
    }

    @Test
    void aProcessOfNoContainerFindsNone() throws Exception {
        reporting("decoy", false);
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            awaitReport("decoy.mountinfo");
            Optional<String> hostLayer = OwnContainer.writableLayer(Files.readString(Path.of("/proc/self/mountinfo")));

            assertThat(ContainerdOwnContainer.find(api, hostLayer, Set.of(ProcessHandle.current().pid()))).isEmpty();
        }
    }

    /** A report once the action has written it whole (it renames it into place). */
    private static String awaitReport(String name) throws IOException, InterruptedException {
        Path file = shared.resolve(name);
        Instant limit = Instant.now().plus(Duration.ofMinutes(1));
        while (!Files.exists(file) && Instant.now().isBefore(limit)) {
            Thread.sleep(50);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
