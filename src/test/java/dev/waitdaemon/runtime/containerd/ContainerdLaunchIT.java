package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.support.ContainerdAgentEmulator;
import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.MachineLogOnFailure;
import dev.waitdaemon.support.TestMachine;

/**
 * A clone made on containerd 2.1.9 (the CaptainOS-like machine) from an action that tink-agent's way
 * created: the action's own OCI spec with another process, on a fresh snapshot of the same image.
 */
@ExtendWith(MachineLogOnFailure.class)
class ContainerdLaunchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestMachine machine;
    private static ContainerdAgentEmulator agent;
    private static String image;

    /** busybox with a config of its own: a working directory, a numeric user, a variable. */
    private static final String CONFIGURED = "local/busybox-configured:test";

    @BeforeAll
    static void startMachine() throws IOException {
        String container = EngineCli.DOCKER.ok("create", "local/busybox:test", "sh").trim();
        try {
            EngineCli.DOCKER.ok("commit", "--change", "WORKDIR /srv", "--change", "USER 1234:5", "--change", "ENV IMAGE_VAR=from-image",
                "--change", "ENV FROM_TEMPLATE=image-default", container, CONFIGURED);
        } finally {
            EngineCli.DOCKER.ok("rm", container);
        }
        machine = TestMachine.captainos().start(List.of("local/busybox:test", CONFIGURED));
        agent = new ContainerdAgentEmulator(machine);
        image = machine.containerdImage("local/busybox:test");
    }

    @AfterAll
    static void stopMachine() {
        if (machine != null) {
            machine.stop();
        }
        EngineCli.DOCKER.run("rmi", CONFIGURED);
    }

    private static ContainerdModel.NewContainer cloneOf(ContainerdModel.Container action, String id, List<String> args, List<String> env) {
        return new ContainerdModel.NewContainer(id, Map.of("nerdctl/name", "clone-" + id.substring(0, 8)), action.image(),
            action.runtime(), ContainerdLaunch.respec(action.specJson(), action.id(), id, args, env), action.snapshotter(),
            "clone-" + id);
    }

    @Test
    void theCloneIsTheActionWithAnotherProcessOnAFreshSnapshot() throws Exception {
        String actionId = agent.start(new ContainerdAgentEmulator.Action("action", image, List.of("sleep", "600"),
            Map.of("FROM_TEMPLATE", "kept"), List.of("/dev:/host-dev"), true));
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            ContainerdModel.Container action = api.container(actionId);
            String id = UUID.randomUUID().toString().replace("-", "");
            String parent = api.snapshotParent(action.snapshotter(), action.snapshotKey());

            long pid = ContainerdLaunch.start(api, cloneOf(action, id, List.of("sh", "-c", "echo cloned $FROM_CLONE; sleep 600"),
                List.of("PATH=/bin", "FROM_CLONE=yes")), parent, "file:///machine/actions/" + id + ".log");

            ContainerdModel.Container clone = api.container(id);
            ObjectNode actionSpec = (ObjectNode) JSON.readTree(action.specJson());
            ObjectNode cloneSpec = (ObjectNode) JSON.readTree(clone.specJson());
            assertThat(cloneSpec.at("/process/args").toString()).isEqualTo("[\"sh\",\"-c\",\"echo cloned $FROM_CLONE; sleep 600\"]");
            assertThat(cloneSpec.at("/linux/cgroupsPath").asText()).isEqualTo(action.specJson().contains(actionId)
                ? JSON.readTree(action.specJson()).at("/linux/cgroupsPath").asText().replace(actionId, id) : "");
            for (ObjectNode spec : List.of(actionSpec, cloneSpec)) {
                ((ObjectNode) spec.get("process")).remove(List.of("args", "env"));
                ((ObjectNode) spec.get("linux")).remove("cgroupsPath");
            }
            // Everything else as the action has it: mounts, namespaces, capabilities, devices, rlimits, hostname.
            assertThat(cloneSpec).isEqualTo(actionSpec);
            assertThat(clone.runtime().name()).isEqualTo(action.runtime().name());
            assertThat(clone.runtime().options()).isEqualTo(action.runtime().options());
            assertThat(clone.snapshotKey()).isNotEqualTo(action.snapshotKey());
            assertThat(api.snapshotParent(clone.snapshotter(), clone.snapshotKey())).isEqualTo(parent);

            assertThat(api.task(id).pid()).isEqualTo(pid);
            assertThat(awaitOutput(machine.folder().resolve("actions").resolve(id + ".log"), "cloned yes")).contains("cloned yes");
        }
    }

    /**
     * The image's config and chain id as read through the content store: the chain id is the snapshot
     * containerd unpacked the image to (the action's snapshot's parent), and the config is the one the
     * host's dockerd reports for the same image.
     */
    @Test
    void theImagesConfigLeadsToTheSnapshotContainerdUnpacked() throws Exception {
        String actionId = agent.start(new ContainerdAgentEmulator.Action("action", image, List.of("sleep", "600"), Map.of(), List.of(), false));
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            ContainerdModel.Container action = api.container(actionId);

            ContainerdImages.ImageConfig config = ContainerdImages.config(api, image, ContainerdImages.architecture());

            assertThat(config.chainId()).isEqualTo(api.snapshotParent(action.snapshotter(), action.snapshotKey()));
            JsonNode docker = JSON.readTree(EngineCli.DOCKER.ok("image", "inspect", "local/busybox:test")).get(0);
            assertThat(config.env()).isEqualTo(strings(docker.at("/Config/Env")));
            assertThat(config.cmd()).isEqualTo(strings(docker.at("/Config/Cmd")));
            assertThat(config.diffIds()).isEqualTo(strings(docker.at("/RootFS/Layers")));
        }
    }

    /**
     * A target: another image's config (its working directory, user and environment, the action's variables
     * laid over it) on the action's own spec, from a fresh snapshot of that image.
     */
    @Test
    void aTargetIsItsImagesProcessOnTheActionsSpec() throws Exception {
        String actionId = agent.start(new ContainerdAgentEmulator.Action("action", image, List.of("sleep", "600"),
            Map.of("FROM_TEMPLATE", "kept"), List.of("/dev:/host-dev"), true));
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            ContainerdModel.Container action = api.container(actionId);
            String targetImage = machine.containerdImage(CONFIGURED);
            ContainerdImages.ImageConfig config = ContainerdImages.config(api, targetImage, ContainerdImages.architecture());
            String id = UUID.randomUUID().toString().replace("-", "");
            List<String> args = ContainerdLaunch.argsFor(config,
                List.of("sh", "-c", "echo \"$(pwd) $(id -u):$(id -g) $IMAGE_VAR $FROM_TEMPLATE\"; test -c /host-dev/null && echo has-binds; sleep 600"));
            String spec = ContainerdLaunch.respec(action.specJson(), actionId, id, args,
                ContainerdLaunch.envFor(config, List.of("FROM_TEMPLATE=kept")), config.workingDir(), ContainerdLaunch.userFor(config));

            ContainerdLaunch.start(api, new ContainerdModel.NewContainer(id, Map.of(), targetImage, action.runtime(), spec,
                action.snapshotter(), "target-" + id), config.chainId(), "file:///machine/actions/" + id + ".log");

            String output = awaitOutput(machine.folder().resolve("actions").resolve(id + ".log"), "has-binds");
            assertThat(output).contains("/srv 1234:5 from-image kept").contains("has-binds");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    @Test
    void aCloneThatCannotStartLeavesNothingBehind() throws Exception {
        String actionId = agent.start(new ContainerdAgentEmulator.Action("action", image, List.of("sleep", "600"), Map.of(), List.of(), false));
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            ContainerdModel.Container action = api.container(actionId);
            String id = UUID.randomUUID().toString().replace("-", "");
            ContainerdModel.NewContainer clone = cloneOf(action, id, List.of("/no/such/program"), List.of());

            assertThatThrownBy(() -> ContainerdLaunch.start(api, clone, api.snapshotParent(action.snapshotter(), action.snapshotKey()),
                "file:///machine/actions/" + id + ".log"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("/no/such/program");

            assertThatThrownBy(() -> api.container(id)).isInstanceOf(EngineException.NotFound.class);
            assertThatThrownBy(() -> api.snapshotParent(clone.snapshotter(), clone.snapshotKey())).isInstanceOf(EngineException.NotFound.class);
        }
    }

    /** The output file as soon as it holds {@code text}: the shim writes it as the process prints. */
    private static String awaitOutput(Path file, String text) throws IOException, InterruptedException {
        Instant limit = Instant.now().plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(limit)) {
            if (Files.exists(file)) {
                String output = Files.readString(file, StandardCharsets.UTF_8);
                if (output.contains(text)) {
                    return output;
                }
            }
            Thread.sleep(50);
        }
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
