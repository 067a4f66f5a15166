package dev.waitdaemon.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.waitdaemon.config.Settings;
import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.phase.ImagePull;
import dev.waitdaemon.phase.PhaseException;
import dev.waitdaemon.registry.CredentialsFixture;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.runtime.OwnContainerFixture;
import dev.waitdaemon.runtime.RecordingRuntime;
import dev.waitdaemon.runtime.docker.DockerFixtures;
import dev.waitdaemon.support.EventLog;

class DryRunTest {

    private final RecordingRuntime runtime = new RecordingRuntime("fake");
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final EventLog log = new EventLog();
    private final Settings settings = SettingsFixture.settings().image("local/reboot:v1").dryRun(true).build();

    private DryRun dryRun(OwnContainer own) {
        return new DryRun(own, new ImagePull(CredentialsFixture.none(), log), CredentialsFixture.none(), log,
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheCloneAndTheTargetOfTheActionAndCreatesNothing() throws Exception {
        ContainerInfo action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
        runtime.containers.put(action.id(), action);
        runtime.images.put("local/reboot:v1", new ImageInfo("sha256:t", List.of()));

        dryRun(OwnContainerFixture.claiming(action.id())).run(settings, runtime, List.of("ignored"));

        assertThat(runtime.calls).noneMatch(call -> call.startsWith("pull") || call.startsWith("createAndStart")
            || call.startsWith("remove"));
        assertThat(printed()).contains("waitdaemon dry run: nothing was pulled or created",
            "IMAGE local/reboot:v1: present (sha256:t); it would not be pulled", "action: container " + action.id(),
            "clone (started now", "  image: " + action.imageId(), "target (started 0 s after the action has exited):",
            "  image: local/reboot:v1", "  environment: GREETING, IMAGE, WAITDAEMON_PHASE, WAIT_SECONDS (values hidden)",
            "  environment: GREETING, IMAGE, WAIT_SECONDS (values hidden)", "/var/lib/action-data:/out:ro",
            "waitdaemon.phase=clone", "waitdaemon.phase=target", "waitdaemon.action=" + action.id())
            .doesNotContain("hello world");
    }

    @Test
    void anImageThatIsNotHereWouldBePulledFromItsRegistry() throws Exception {
        ContainerInfo action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
        runtime.containers.put(action.id(), action);

        dryRun(OwnContainerFixture.claiming(action.id())).run(
            SettingsFixture.settings().image("registry.example:5000/reboot:v1").dryRun(true).build(), runtime, List.of());

        assertThat(printed()).contains("not here; it would be pulled from registry.example:5000 with credentials none");
        assertThat(runtime.calls).noneMatch(call -> call.startsWith("pull"));
    }

    @Test
    void outsideAnyContainerItPlansFromThisProcessWithDefaultHostSettings(@TempDir Path root) throws Exception {
        Path self = Files.createDirectories(root.resolve("proc").resolve("self"));
        Files.writeString(self.resolve("mountinfo"), "22 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw\n");
        Files.writeString(self.resolve("cgroup"), "0::/user.slice/user-1000.slice/session-2.scope\n");
        runtime.images.put("local/reboot:v1", new ImageInfo("sha256:t", List.of()));

        dryRun(OwnContainerFixture.reading(self)).run(settings, runtime, List.of("reboot", "-f"));

        assertThat(printed()).contains("action: not inside a container", "  command: [\"reboot\" \"-f\"]",
            "  modes: pid=(engine default) network=(engine default)", "  privileged: no", "WAITDAEMON_PHASE");
        assertThat(runtime.started).isEmpty();
    }

    @Test
    void insideAContainerThatCannotBeFoundItFailsAsTheActionWould(@TempDir Path root) throws Exception {
        Path self = Files.createDirectories(root.resolve("proc").resolve("self"));
        Files.writeString(self.resolve("mountinfo"), "1034 970 0:118 / / rw,relatime - overlay overlay rw,lowerdir=/l\n");

        PhaseException failure = catchThrowableOfType(() -> dryRun(OwnContainerFixture.reading(self)).run(settings, runtime, List.of()),
            PhaseException.class);

        assertThat(failure).hasMessageStartingWith("cannot find the action's own container");
        assertThat(printed()).isEmpty();
    }
}
