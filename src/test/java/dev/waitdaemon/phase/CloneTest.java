package dev.waitdaemon.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.config.Phase;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.OwnContainerFixture;
import dev.waitdaemon.runtime.RecordingRuntime;
import dev.waitdaemon.runtime.docker.DockerFixtures;
import dev.waitdaemon.support.EventLog;
import dev.waitdaemon.support.TerminationSignal;
import dev.waitdaemon.support.TerminationSignal.Watch;
import sun.misc.Signal;

class CloneTest {

    private final RecordingRuntime runtime = new RecordingRuntime("fake");
    /** The real signal handling, with the last watch kept so that a test can deliver SIGTERM to it. */
    private final CapturingTermination termination = new CapturingTermination();
    private ContainerInfo action;
    private Clone clone;

    @BeforeEach
    void aCloneOfAnAction() {
        action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
        ContainerSpec spec = ContainerPlan.clone(action, ImageReference.parse("reboot:v1"));
        ContainerInfo self = new ContainerInfo("clone-id", spec.image(), spec.entrypoint(), spec.cmd(),
            List.of("PATH=/opt/java/bin", "GREETING=hello world", "WAITDAEMON_PHASE=clone"), spec.labels(), spec.tty(),
            spec.host());
        runtime.containers.put("clone-id", self);
        runtime.images.put(self.imageId(), new ImageInfo(self.imageId(), List.of("PATH=/opt/java/bin")));
        clone = new Clone(OwnContainerFixture.claiming("clone-id"), termination, new EventLog());
    }

    private static Settings waiting(Duration wait) {
        return SettingsFixture.settings().image("reboot:v1").waitTime(wait).phase(Phase.CLONE).build();
    }

    @Test
    void waitsForTheActionToExitThenTheWaitThenStartsTheTarget() throws Exception {
        runtime.running.put(action.id(), true);
        Thread actionExits = new Thread(() -> {
            sleep(300);
            runtime.running.put(action.id(), false);
        });
        actionExits.start();
        long started = System.nanoTime();

        clone.run(waiting(Duration.ofMillis(1000)), runtime, List.of("reboot"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1300));
        assertThat(runtime.calls).contains("isRunning " + action.id());
        assertThat(runtime.started).singleElement().satisfies(target -> {
            assertThat(target.image()).isEqualTo("reboot:v1");
            assertThat(target.entrypoint()).isNull();
            assertThat(target.cmd()).isEqualTo(action.cmd());
            assertThat(target.env()).containsExactly("GREETING=hello world");
            assertThat(target.labels()).containsEntry("waitdaemon.action", action.id());
        });
    }

    @Test
    void aSigtermDuringTheWaitStartsNothingAndSaysSo() throws Exception {
        Thread stopper = new Thread(() -> {
            sleep(300);
            termination.last.handle(new Signal("TERM"));
        });
        stopper.start();
        long started = System.nanoTime();

        StoppedDuringWaitException stopped = catchThrowableOfType(
            () -> clone.run(waiting(Duration.ofSeconds(30)), runtime, List.of("reboot")), StoppedDuringWaitException.class);

        assertThat(stopped).hasMessageContaining("SIGTERM").hasMessageContaining("reboot:v1 was not started");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(runtime.started).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is consumed").isFalse();
    }

    static final class CapturingTermination extends TerminationSignal {
        volatile Watch last;

        @Override
        public Watch interruptOnTerm() {
            last = super.interruptOnTerm();
            return last;
        }
    }

    @Test
    void countsTheWaitFromTheEnginesRecordOfTheExitSoTheClonesOwnStartUpOverlapsIt() throws Exception {
        runtime.exitTimes.put(action.id(), Instant.now().minusMillis(800));
        long started = System.nanoTime();

        clone.run(waiting(Duration.ofMillis(1000)), runtime, List.of("reboot"));

        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isGreaterThanOrEqualTo(Duration.ofMillis(150)).isLessThan(Duration.ofMillis(700));
        assertThat(runtime.calls).contains("exitedAt " + action.id());
        assertThat(runtime.started).hasSize(1);
    }

    @Test
    void anEngineTimeLaterThanTheExitWasNoticedIsNotBelievedAndTheWaitCountsFromTheNoticing() throws Exception {
        runtime.exitTimes.put(action.id(), Instant.now().plusSeconds(5));
        long started = System.nanoTime();

        clone.run(waiting(Duration.ofMillis(500)), runtime, List.of("reboot"));

        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void whenTheEngineCannotTellTheWaitCountsFromTheNoticingNeverEarlier() throws Exception {
        long started = System.nanoTime();

        clone.run(waiting(Duration.ofMillis(400)), runtime, List.of("reboot"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void followsTheTargetAndReadsTheLastOutputOfOneThatFailed() throws Exception {
        runtime.exitCodes.put("started-1", 3);
        List<String> console = new java.util.ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            console.add("line " + i);
        }
        runtime.outputs.put("started-1", console);

        clone.run(SettingsFixture.settings().image("reboot:v1").phase(Phase.CLONE).targetFollow(Duration.ofSeconds(5))
            .build(), runtime, List.of("reboot"));

        assertThat(runtime.calls).contains("exitCode started-1", "lastOutput started-1 " + Clone.OUTPUT_LINES);
    }

    @Test
    void aTargetThatSucceedsNeedsNoOutputRead() throws Exception {
        runtime.exitCodes.put("started-1", 0);

        clone.run(SettingsFixture.settings().image("reboot:v1").phase(Phase.CLONE).targetFollow(Duration.ofSeconds(5))
            .build(), runtime, List.of("reboot"));

        assertThat(runtime.calls).contains("exitCode started-1").noneMatch(call -> call.startsWith("lastOutput"));
    }

    @Test
    void aTargetStillRunningAtTheBoundIsLeftRunning() throws Exception {
        long started = System.nanoTime();

        clone.run(SettingsFixture.settings().image("reboot:v1").phase(Phase.CLONE).targetFollow(Duration.ofSeconds(1))
            .build(), runtime, List.of("reboot"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1))
            .isLessThan(Duration.ofSeconds(4));
        assertThat(runtime.calls).noneMatch(call -> call.startsWith("lastOutput") || call.startsWith("remove"));
    }

    @Test
    void aTargetThatCannotStartFailsTheClone() {
        runtime.startFailure = new EngineException.NotFound("No such image: reboot:v1");

        PhaseException failure = catchThrowableOfType(PhaseException.class, () -> clone.run(waiting(Duration.ZERO), runtime, List.of("reboot")));

        assertThat(failure).hasMessage("cannot start the target from reboot:v1: No such image: reboot:v1");
    }

    @Test
    void readsWhatTheTargetNeedsBeforeTheWaitSoThatOnlyItsStartFollowsIt() throws Exception {
        runtime.running.put(action.id(), false);

        clone.run(waiting(Duration.ofMillis(200)), runtime, List.of("reboot"));

        ContainerInfo self = runtime.containers.get("clone-id");
        assertThat(runtime.calls).containsSubsequence("inspectImage " + self.imageId(), "isRunning " + action.id(),
            "createAndStart reboot:v1");
    }

    @Test
    void anEngineThatCannotTellTheClonesImageFailsItBeforeTheWaitAndStartsNothing() {
        RecordingRuntime failingImage = new RecordingRuntime("fake") {
            @Override
            public Optional<ImageInfo> inspectImage(String image) {
                throw new EngineException(500, "image store broke");
            }
        };
        failingImage.containers.putAll(runtime.containers);
        long started = System.nanoTime();

        PhaseException failure = catchThrowableOfType(PhaseException.class,
            () -> clone.run(waiting(Duration.ofSeconds(30)), failingImage, List.of("reboot")));

        assertThat(failure).hasMessage("cannot start the target from reboot:v1: image store broke");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(failingImage.started).isEmpty();
    }

    @Test
    void removesExitedClonesOfEarlierRunsBeyondTheNewestThree() throws Exception {
        for (int i = 5; i >= 1; i--) {
            runtime.addExited("old" + i, i);
        }

        clone.run(waiting(Duration.ZERO), runtime, List.of("reboot"));

        assertThat(runtime.removed).containsExactly("old2", "old1");
        assertThat(runtime.started).hasSize(1);
    }

    @Test
    void aFailedTidyingDoesNotKeepTheTargetFromStarting() throws Exception {
        RecordingRuntime failingList = new RecordingRuntime("fake") {
            @Override
            public List<dev.waitdaemon.runtime.ContainerSummary> listByLabel(String label, String value) {
                throw new EngineException(500, "listing broke");
            }
        };
        failingList.images.putAll(runtime.images);
        failingList.containers.putAll(runtime.containers);

        clone.run(waiting(Duration.ZERO), failingList, List.of("reboot"));

        assertThat(failingList.started).hasSize(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
