package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.RuntimeUnavailableException;
import dev.waitdaemon.support.ContainerdAgentEmulator;
import dev.waitdaemon.support.MachineLogOnFailure;
import dev.waitdaemon.support.TestMachine;

/**
 * The containerd client against containerd 2.1.9 itself, as PID 1 of the CaptainOS-like machine, with
 * actions created as tink-agent creates them.
 */
@ExtendWith(MachineLogOnFailure.class)
class GrpcContainerdApiIT {

    private static final String BUSYBOX = "local/busybox:test";
    private static TestMachine machine;
    private static ContainerdAgentEmulator agent;
    private static String image;

    @BeforeAll
    static void startMachine() throws IOException {
        machine = TestMachine.captainos().start(List.of(BUSYBOX));
        agent = new ContainerdAgentEmulator(machine);
        image = machine.containerdImage(BUSYBOX);
    }

    @AfterAll
    static void stopMachine() {
        if (machine != null) {
            machine.stop();
        }
    }

    private static GrpcContainerdApi api() throws RuntimeUnavailableException {
        return GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE);
    }

    @Test
    void answersWithItsVersion() throws Exception {
        try (GrpcContainerdApi api = api()) {
            assertThat(api.version().version()).startsWith("2.");
        }
    }

    @Test
    void readsAnActionAsTinkAgentCreatedIt() throws Exception {
        String id = agent.start(new ContainerdAgentEmulator.Action("read-me", image, List.of("sleep", "600"),
            Map.of("WAITDAEMON_TEST", "one two"), List.of("/dev:/host-dev"), true));
        try (GrpcContainerdApi api = api()) {
            ContainerdModel.Container container = api.container(id);

            assertThat(container.id()).isEqualTo(id);
            assertThat(container.image()).isEqualTo(image);
            assertThat(container.labels()).containsEntry("nerdctl/name", "read-me").containsEntry("nerdctl/namespace", "tinkerbell");
            assertThat(container.runtime().name()).isEqualTo("io.containerd.runc.v2");
            assertThat(container.snapshotKey()).isNotEmpty();
            assertThat(container.createdAt()).isBefore(Instant.now().plusSeconds(1));
            // The whole OCI spec, as stored: what a clone is made from.
            JsonNode spec = new ObjectMapper().readTree(container.specJson());
            assertThat(spec.path("process").path("args").toString()).isEqualTo("[\"sleep\",\"600\"]");
            assertThat(spec.path("process").path("env").toString()).contains("WAITDAEMON_TEST=one two");
            assertThat(spec.path("mounts").toString()).contains("\"destination\":\"/host-dev\"").contains("\"destination\":\"/etc/resolv.conf\"");
            assertThat(spec.path("linux").path("namespaces").toString()).contains("\"path\":\"/proc/1/ns/pid\"");

            ContainerdModel.Task task = api.task(id);
            assertThat(task.status()).isEqualTo(ContainerdModel.TaskStatus.RUNNING);
            assertThat(task.exit()).isEmpty();
            assertThat(api.taskPids(id)).contains(task.pid());

            assertThat(api.containers("labels.\"nerdctl/name\"==read-me")).extracting(ContainerdModel.Container::id).containsExactly(id);
        }
    }

    @Test
    void waitsForTheExitContainerdRecords() throws Exception {
        String id = agent.start(new ContainerdAgentEmulator.Action("exits", image, List.of("sh", "-c", "trap 'exit 7' TERM; sleep 600 & wait"),
            Map.of(), List.of(), false));
        try (GrpcContainerdApi api = api()) {
            assertThat(api.task(id).status()).isEqualTo(ContainerdModel.TaskStatus.RUNNING);
            Instant signalled = Instant.now();
            machine.ctr("tasks", "kill", "--signal", "SIGTERM", id);

            ContainerdModel.Exit exit = api.awaitExit(id, Duration.ofMinutes(1));

            assertThat(exit.status()).isEqualTo(7);
            assertThat(exit.at()).isAfter(signalled.minusSeconds(5));
            ContainerdModel.Task ended = api.task(id);
            assertThat(ended.status()).isEqualTo(ContainerdModel.TaskStatus.STOPPED);
            assertThat(ended.exit()).contains(exit);
        }
    }

    /**
     * tink-agent deletes a task that succeeded at once, and its exit with it; the exit containerd announced is
     * still known to a watch that began before it, with the very status and time containerd recorded.
     */
    @Test
    void aWatchKeepsTheExitOfATaskDeletedAtOnce() throws Exception {
        try (GrpcContainerdApi api = api(); ContainerdApi.EventWatch watch = api.watch(List.of(ContainerdApi.EXIT_TOPIC))) {
            assertThat(watch.awaitLive(Duration.ofMinutes(1))).isTrue();
            String id = agent.start(new ContainerdAgentEmulator.Action("exits-at-once", image, List.of("sh", "-c", "exit 5"),
                Map.of(), List.of(), false));
            ContainerdModel.Exit recorded = api.awaitExit(id, Duration.ofMinutes(1));
            machine.ctr("tasks", "delete", id);
            machine.ctr("containers", "delete", id);
            assertThatThrownBy(() -> api.task(id)).isInstanceOf(EngineException.NotFound.class);

            assertThat(awaitSeen(watch, id, Duration.ofMinutes(1))).isTrue();
            assertThat(watch.exitOf(id)).contains(recorded);
            assertThat(recorded.status()).isEqualTo(5);
        }
    }

    /**
     * containerd answers a subscription with nothing until an event comes; a watch learns that it is live from
     * its own probe coming back, and from then on it has what is announced on its topics in its namespace
     * (containerd's events service takes any event under a topic that is a path: Publish, checked here), not
     * another topic's, and another namespace's watch has none of it.
     */
    @Test
    void whatIsAnnouncedReachesTheLiveWatchesOfItsTopicAndNamespace() throws Exception {
        String topic = "/waitdaemon/it/" + System.nanoTime();
        try (GrpcContainerdApi api = api(); GrpcContainerdApi elsewhere = GrpcContainerdApi.open(machine.socket(), "elsewhere");
             ContainerdApi.EventWatch listening = api.watch(List.of(topic));
             ContainerdApi.EventWatch otherTopic = api.watch(List.of(topic + "/other"));
             ContainerdApi.EventWatch otherNamespace = elsewhere.watch(List.of(topic))) {
            assertThat(listening.awaitLive(Duration.ofMinutes(1))).isTrue();
            assertThat(otherTopic.awaitLive(Duration.ofMinutes(1))).isTrue();
            assertThat(otherNamespace.awaitLive(Duration.ofMinutes(1))).isTrue();

            api.announce(topic, "/var/lib/some/layer/fs");
            api.announce(topic + "/other", "the last word");
            elsewhere.announce(topic, "the last word elsewhere");

            assertThat(listening.awaitAnnounced(topic, "/var/lib/some/layer/fs", Duration.ofMinutes(1))).isTrue();
            // Events reach a watch in the order they were published, across namespaces too (containerd's exchange
            // hands every publication, one at a time, to one broadcaster that writes it to each subscriber's queue:
            // go-events' Broadcaster as vendored by containerd v2.1.9): once the later one is in, the earlier is settled.
            assertThat(otherTopic.awaitAnnounced(topic + "/other", "the last word", Duration.ofMinutes(1))).isTrue();
            assertThat(otherTopic.awaitAnnounced(topic, "/var/lib/some/layer/fs", Duration.ZERO)).isFalse();
            assertThat(otherNamespace.awaitAnnounced(topic, "the last word elsewhere", Duration.ofMinutes(1))).isTrue();
            assertThat(otherNamespace.awaitAnnounced(topic, "/var/lib/some/layer/fs", Duration.ZERO)).isFalse();
        }
    }

    private static boolean awaitSeen(ContainerdApi.EventWatch watch, String id, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (watch.exitOf(id).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void aMissingContainerIsNotFoundInContainerdsWords() throws Exception {
        try (GrpcContainerdApi api = api()) {
            assertThatThrownBy(() -> api.container("no-such-container"))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessageContaining("container \"no-such-container\" in namespace \"tinkerbell\": not found");
            assertThatThrownBy(() -> api.task("no-such-container")).isInstanceOf(EngineException.NotFound.class);
        }
    }

    @Test
    void anotherNamespaceDoesNotSeeTheAction() throws Exception {
        String id = agent.start(new ContainerdAgentEmulator.Action("elsewhere", image, List.of("sleep", "600"), Map.of(), List.of(), false));
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), "default")) {
            assertThatThrownBy(() -> api.container(id)).isInstanceOf(EngineException.NotFound.class);
        }
    }

    /**
     * An action with {@code pid: host} and privileges (as every tink-agent action has them) reaches the
     * host's containerd through its PID 1's root, so a CaptainOS template needs no volume for the socket.
     * The client here is the machine's own ctr, run from the machine's root with the machine's loader inside
     * the action: the question is whether the path leads to containerd from there, not how a client speaks.
     */
    @Test
    void thePid1RootPathReachesTheHostsContainerdFromAPidHostAction() throws Exception {
        List<String> probe = List.of("/machine-root/lib64/ld-linux-x86-64.so.2", "--library-path", "/machine-root/usr/lib/x86_64-linux-gnu",
            "/machine-root/usr/bin/ctr", "--address", "/proc/1/root/run/containerd/containerd.sock", "--namespace", "tinkerbell",
            "containers", "list", "--quiet");
        String withHostPid = agent.start(new ContainerdAgentEmulator.Action("probe", image, probe, Map.of(), List.of("/:/machine-root"), true));
        String without = agent.start(new ContainerdAgentEmulator.Action("probe", image, probe, Map.of(), List.of("/:/machine-root"), false));

        try (GrpcContainerdApi api = api()) {
            assertThat(api.awaitExit(withHostPid, Duration.ofMinutes(1)).status()).as(agent.outputOf(withHostPid)).isZero();
            assertThat(agent.outputOf(withHostPid)).contains(withHostPid);
            // Without the host's pid namespace, PID 1 is the action's own process.
            assertThat(api.awaitExit(without, Duration.ofMinutes(1)).status()).isNotZero();
            assertThat(agent.outputOf(without)).contains("no such file or directory");
        }
    }

    @Test
    void noSocketIsOneLineThatSaysWhatToMount() {
        assertThatThrownBy(() -> GrpcContainerdApi.open(Path.of("/run/no-containerd/containerd.sock"), "tinkerbell"))
            .isInstanceOf(RuntimeUnavailableException.class)
            .hasMessage("no containerd socket at /run/no-containerd/containerd.sock");
    }
}
