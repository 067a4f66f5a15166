package dev.waitdaemon.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.registry.CredentialsFixture;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.OwnContainerFixture;
import dev.waitdaemon.runtime.RecordingRuntime;
import dev.waitdaemon.runtime.docker.DockerFixtures;
import dev.waitdaemon.support.EventLog;

class FirstForkTest {

    private static final Settings SETTINGS = SettingsFixture.settings().image("reboot:v1").build();

    private final RecordingRuntime runtime = new RecordingRuntime("fake");
    private ContainerInfo action;
    private FirstFork firstFork;

    @BeforeEach
    void anActionContainer() {
        action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
        runtime.containers.put(action.id(), action);
        firstFork = new FirstFork(OwnContainerFixture.claiming(action.id()), new ImagePull(CredentialsFixture.none(), new EventLog()), CredentialsFixture.none(), new EventLog());
    }

    @Test
    void aPresentImageIsNotPulledAndTheCloneStarts() throws Exception {
        runtime.images.put("reboot:v1", new ImageInfo("sha256:t", List.of()));

        firstFork.run(SETTINGS, runtime, List.of("reboot"));

        assertThat(runtime.calls).noneMatch(call -> call.startsWith("pull"));
        assertThat(runtime.started).singleElement().satisfies(clone -> {
            assertThat(clone.image()).isEqualTo(action.imageId());
            assertThat(clone.env()).contains("WAITDAEMON_PHASE=clone");
        });
    }

    /**
     * Where only a watching clone can know the action's exit (containerd), the action ends once its clone
     * watches: listened for before the clone starts, awaited after, closed either way.
     */
    @Test
    void whereTheEngineForgetsTheExitTheActionEndsOnceItsCloneWatches() throws Exception {
        runtime.images.put("reboot:v1", new ImageInfo("sha256:t", List.of()));
        runtime.readinessAnswer = ContainerRuntime.CloneReadiness.Answer.WATCHING;

        firstFork.run(SETTINGS, runtime, List.of("reboot"));

        assertThat(runtime.calls).containsSubsequence("cloneReadiness", "createAndStart " + action.imageId(),
            "awaitWatching started-1", "readiness closed");
    }

    /** A clone that ends or says nothing does not fail the action: it started, and its own log tells the rest. */
    @Test
    void aCloneThatNeverSaysItWatchesStillEndsTheActionWell() throws Exception {
        runtime.images.put("reboot:v1", new ImageInfo("sha256:t", List.of()));
        for (ContainerRuntime.CloneReadiness.Answer answer : List.of(ContainerRuntime.CloneReadiness.Answer.ENDED,
            ContainerRuntime.CloneReadiness.Answer.SILENT)) {
            runtime.calls.clear();
            runtime.readinessAnswer = answer;

            firstFork.run(SETTINGS, runtime, List.of("reboot"));

            assertThat(runtime.calls).containsSubsequence("awaitWatching started-" + runtime.started.size(), "readiness closed");
        }
    }

    @Test
    void aCloneThatCannotStartClosesTheReadinessToo() {
        runtime.images.put("reboot:v1", new ImageInfo("sha256:t", List.of()));
        runtime.readinessAnswer = ContainerRuntime.CloneReadiness.Answer.WATCHING;
        runtime.startFailure = new EngineException(0, "no such device");

        catchThrowableOfType(PhaseException.class, () -> firstFork.run(SETTINGS, runtime, List.of("reboot")));

        assertThat(runtime.calls).contains("readiness closed").noneMatch(call -> call.startsWith("awaitWatching"));
    }

    @Test
    void anAbsentImageIsPulledBeforeTheCloneStarts() throws Exception {
        firstFork.run(SETTINGS, runtime, List.of("reboot"));

        assertThat(runtime.calls).containsSubsequence("inspectImage reboot:v1", "pull reboot:v1",
            "createAndStart " + action.imageId());
    }

    @Test
    void aFailedPullStartsNothing() {
        runtime.pullFailure = new EngineException(0, "manifest unknown");

        PhaseException failure = catchThrowableOfType(PhaseException.class, () -> firstFork.run(SETTINGS, runtime, List.of("reboot")));

        assertThat(failure).hasMessage("IMAGE reboot:v1 could not be pulled: docker.io has no such image (manifest unknown)");
        assertThat(failure.fix()).isEqualTo("check the name, tag or digest");
        assertThat(runtime.started).isEmpty();
    }

    @Test
    void aVariableTheRuntimeCannotPassAsItIsStartsNothingAndIsNamed() {
        runtime.images.put("reboot:v1", new ImageInfo("sha256:t", List.of()));
        runtime.environmentProblems = List.of("BIG: it is over the 64 KiB a line of docker's env file may have");

        PhaseException failure = catchThrowableOfType(PhaseException.class, () -> firstFork.run(SETTINGS, runtime, List.of("reboot")));

        assertThat(failure).hasMessage("fake cannot give the clone and the target what the action was given as it is "
            + "(BIG: it is over the 64 KiB a line of docker's env file may have)");
        assertThat(failure.fix()).startsWith("mount the engine's API socket into the action");
        assertThat(runtime.started).isEmpty();
    }

    @Test
    void leavesTheTidyingOfEarlierClonesToTheClone() throws Exception {
        runtime.images.put("reboot:v1", new ImageInfo("sha256:t", List.of()));
        runtime.addExited("old1", 1);

        firstFork.run(SETTINGS, runtime, List.of("reboot"));

        assertThat(runtime.calls).noneMatch(call -> call.startsWith("listByLabel") || call.startsWith("remove"));
    }

    @Test
    void findsItsOwnContainerWhileAnAbsentImageIsPulled() throws Exception {
        firstFork.run(SETTINGS, runtime, List.of("reboot"));

        assertThat(runtime.calls).contains("inspectContainer " + action.id(), "pull reboot:v1");
        assertThat(runtime.started).hasSize(1);
    }

    @Test
    void withoutItsOwnContainerItSaysSo() {
        FirstFork lost = new FirstFork(OwnContainerFixture.claiming("nope"), new ImagePull(CredentialsFixture.none(), new EventLog()), CredentialsFixture.none(), new EventLog());
        runtime.images.put("reboot:v1", new ImageInfo("sha256:t", List.of()));

        PhaseException failure = catchThrowableOfType(PhaseException.class, () -> lost.run(SETTINGS, runtime, List.of("reboot")));

        assertThat(failure).hasMessageStartingWith("cannot find the action's own container (tried ids [nope])");
        assertThat(runtime.started).isEmpty();
    }
}
