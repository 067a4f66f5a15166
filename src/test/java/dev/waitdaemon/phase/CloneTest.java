package dev.waitdaemon.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.Phase;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.report.SmeeReports;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.ContainerSummary;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.OwnContainerFixture;
import dev.waitdaemon.runtime.RecordingRuntime;
import dev.waitdaemon.runtime.docker.DockerFixtures;
import dev.waitdaemon.support.EventLog;
import dev.waitdaemon.support.TerminationSignal;

import sun.misc.Signal;

/**
 * The clone on virtual time: every sleep is recorded and moves a clock of the test's own, so what is
 * asserted is the moment the target is created by that clock, never a margin of the machine's.
 */
class CloneTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private final RecordingRuntime runtime = new RecordingRuntime("fake");
    private final VirtualTime time = new VirtualTime();
    /** The real signal handling: the watch the action runner would open, to which a test delivers SIGTERM. */
    private final TerminationSignal.Watch stop = new TerminationSignal().interruptOnTerm();
    private ContainerInfo action;
    private ContainerInfo self;
    private Clone clone;
    /** The virtual moment the target's creation was asked for. */
    private Instant targetCreatedAt;

    @BeforeEach
    void aCloneOfAnAction() {
        action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
        ContainerSpec spec = ContainerPlan.clone(action, ImageReference.parse("reboot:v1"), List.of());
        self = new ContainerInfo("clone-id", spec.image(), spec.entrypoint(), spec.cmd(),
            List.of("PATH=/opt/java/bin", "GREETING=hello world", "WAITDAEMON_PHASE=clone"), spec.labels(), spec.tty(),
            spec.host());
        withTheClone(runtime);
        clone = new Clone(OwnContainerFixture.claiming("clone-id"), new EventLog(), new SmeeReports(), time);
    }

    @AfterEach
    void signalHandlingGivenBack() {
        stop.close();
        Thread.interrupted();
    }

    private void withTheClone(RecordingRuntime engine) {
        engine.containers.put("clone-id", self);
        engine.images.put(self.imageId(), new ImageInfo(self.imageId(), List.of("PATH=/opt/java/bin")));
        engine.onCall = call -> {
            if (call.startsWith("start ")) {
                targetCreatedAt = time.now();
            }
        };
    }

    private static Settings waiting(Duration wait) {
        return SettingsFixture.settings().image("reboot:v1").waitTime(wait).phase(Phase.CLONE).build();
    }

    private void run(Settings settings, RecordingRuntime engine) throws PhaseException {
        clone.run(settings, engine, List.of("reboot"), stop);
    }

    /** The action runs for {@code polls} answers of the engine, then has exited. */
    private void actionRunsFor(int polls) {
        AtomicInteger asked = new AtomicInteger();
        runtime.running.put(action.id(), true);
        runtime.onCall = runtime.onCall.andThen(call -> {
            if (call.equals("isRunning " + action.id()) && asked.incrementAndGet() > polls) {
                runtime.running.put(action.id(), false);
            }
        });
    }

    @Test
    void waitsForTheActionToExitThenTheWaitThenStartsTheTarget() throws Exception {
        actionRunsFor(3);

        run(waiting(Duration.ofMillis(1000)), runtime);

        Instant noticed = T0.plus(Clone.POLL.multipliedBy(3));
        assertThat(targetCreatedAt).as("the wait counts from the noticing: the engine keeps no record here")
            .isEqualTo(noticed.plusMillis(1000));
        assertThat(runtime.started).singleElement().satisfies(target -> {
            assertThat(target.image()).isEqualTo("reboot:v1");
            assertThat(target.entrypoint()).isNull();
            assertThat(target.cmd()).isEqualTo(action.cmd());
            assertThat(target.env()).containsExactly("GREETING=hello world");
            assertThat(target.labels()).containsEntry("waitdaemon.action", action.id());
        });
    }

    @Test
    void countsTheWaitFromTheEnginesRecordOfTheExitSoTheClonesOwnStartUpOverlapsIt() throws Exception {
        runtime.exitTimes.put(action.id(), T0.minusMillis(800));

        run(waiting(Duration.ofMillis(1000)), runtime);

        assertThat(runtime.calls).contains("exitedAt " + action.id());
        assertThat(targetCreatedAt).isEqualTo(T0.plusMillis(200));
    }

    @Test
    void anEngineTimeLaterThanTheExitWasNoticedIsNotBelievedAndTheWaitCountsFromTheNoticing() throws Exception {
        runtime.exitTimes.put(action.id(), T0.plusSeconds(5));

        run(waiting(Duration.ofMillis(500)), runtime);

        assertThat(targetCreatedAt).isEqualTo(T0.plusMillis(500));
    }

    @Test
    void anActionStillRunningLongAfterItsCloneStartedIsWaitedForNotCountedFromACap() throws Exception {
        actionRunsFor(900);

        run(waiting(Duration.ofSeconds(2)), runtime);

        Instant noticed = T0.plus(Clone.POLL.multipliedBy(900));
        assertThat(Duration.between(T0, noticed)).as("longer than the old 60 s cap").isGreaterThan(Duration.ofSeconds(60));
        assertThat(targetCreatedAt).isEqualTo(noticed.plusSeconds(2));
    }

    @Test
    void engineCallsThatFailForAWhileAreRetriedAndTheWaitStillCountsFromTheExit() throws Exception {
        RecordingRuntime flaky = failingFirst(4);
        withTheClone(flaky);
        flaky.exitTimes.put(action.id(), T0.plusSeconds(1));

        run(waiting(Duration.ofSeconds(3)), flaky);

        assertThat(flaky.calls.stream().filter(call -> call.equals("isRunning " + action.id()))).hasSize(5);
        Instant noticed = T0.plusSeconds(2);
        assertThat(targetCreatedAt).as("from the engine's record of the exit, after four retries 0.5 s apart")
            .isEqualTo(T0.plusSeconds(1).plusSeconds(3)).isAfter(noticed);
    }

    @Test
    void anEngineThatNeverAnswersIsRetriedWithinTheBoundThenTheWaitCountsFromTheMomentItGaveUp() throws Exception {
        RecordingRuntime broken = failingFirst(Integer.MAX_VALUE);
        withTheClone(broken);

        run(waiting(Duration.ofSeconds(3)), broken);

        Instant gaveUp = targetCreatedAt.minusSeconds(3);
        assertThat(gaveUp).as("the retries' bound, never earlier").isAfterOrEqualTo(T0.plus(Clone.ENGINE_RETRY_LIMIT));
        assertThat(broken.started).hasSize(1);
    }

    @Test
    void whereTheEngineKeepsNoExitRecordTheCloneLooksMoreOftenSoItNoticesTheExitSooner() throws Exception {
        RecordingRuntime nerdctl = new RecordingRuntime("nerdctl-cli") {
            @Override
            public boolean recordsExitTimes() {
                return false;
            }
        };
        withTheClone(nerdctl);
        AtomicInteger asked = new AtomicInteger();
        nerdctl.onCall = nerdctl.onCall.andThen(call -> nerdctl.running.put(action.id(),
            !call.equals("isRunning " + action.id()) || asked.incrementAndGet() <= 5));

        run(waiting(Duration.ofSeconds(1)), nerdctl);

        assertThat(time.sleeps).startsWith(Clone.QUICK_POLL, Clone.QUICK_POLL, Clone.QUICK_POLL, Clone.QUICK_POLL, Clone.QUICK_POLL);
        assertThat(targetCreatedAt).isEqualTo(T0.plus(Clone.QUICK_POLL.multipliedBy(5)).plusSeconds(1));
    }

    /** An engine whose first {@code failures} isRunning calls fail, as a relay hiccup or a CLI timeout would. */
    private RecordingRuntime failingFirst(int failures) {
        AtomicInteger asked = new AtomicInteger();
        return new RecordingRuntime("flaky") {
            @Override
            public boolean isRunning(String id) {
                boolean running = super.isRunning(id);
                if (asked.incrementAndGet() <= failures) {
                    throw new EngineException(0, "relay hiccup");
                }
                return running;
            }
        };
    }

    @ParameterizedTest(name = "SIGTERM at {0}")
    @ValueSource(strings = { "inspectContainer clone-id", "listByLabel", "inspectImage", "isRunning", "exitedAt" })
    void aSigtermAtAnyMomentBeforeTheTargetsCreationStartsNothingAndSaysSo(String moment) {
        actionRunsFor(2);
        runtime.onCall = runtime.onCall.andThen(call -> {
            if (call.startsWith(moment) && !stop.received()) {
                stop.handle(new Signal("TERM"));
            }
        });

        StoppedDuringWaitException stopped = catchThrowableOfType(StoppedDuringWaitException.class,
            () -> run(waiting(Duration.ofSeconds(30)), runtime));

        assertThat(stopped).hasMessageContaining("SIGTERM").hasMessageContaining("reboot:v1 was not started");
        assertThat(runtime.started).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is consumed").isFalse();
    }

    /** An engine call that takes the interrupt for its own and returns as if nothing happened (a REST client may). */
    @ParameterizedTest(name = "SIGTERM at {0}, the interrupt swallowed")
    @ValueSource(strings = { "inspectContainer clone-id", "listByLabel", "inspectImage", "isRunning", "exitedAt" })
    void aSigtermWhoseInterruptACallSwallowedStillStartsNothing(String moment) {
        actionRunsFor(2);
        AtomicInteger sleepsBeforeTheSignal = new AtomicInteger(-1);
        runtime.onCall = runtime.onCall.andThen(call -> {
            if (call.startsWith(moment) && !stop.received()) {
                sleepsBeforeTheSignal.set(time.sleeps.size());
                stop.handle(new Signal("TERM"));
                Thread.interrupted();
            }
        });

        assertThat(catchThrowableOfType(StoppedDuringWaitException.class, () -> run(waiting(Duration.ofSeconds(30)), runtime)))
            .isNotNull();
        assertThat(time.sleeps).as("no pause at all once stopped: not the wait, not a poll").hasSize(sleepsBeforeTheSignal.get());
        assertThat(runtime.started).isEmpty();
    }

    @Test
    void aSigtermDuringTheWaitStartsNothingAndSaysSo() {
        runtime.exitTimes.put(action.id(), T0);
        time.duringSleep = () -> stop.handle(new Signal("TERM"));

        StoppedDuringWaitException stopped = catchThrowableOfType(StoppedDuringWaitException.class,
            () -> run(waiting(Duration.ofSeconds(30)), runtime));

        assertThat(stopped).hasMessageContaining("reboot:v1 was not started");
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(30));
        assertThat(runtime.started).isEmpty();
        assertThat(runtime.removed).as("the target created for the start that did not come").containsExactly("created-1");
    }

    /**
     * A SIGTERM while the target is being created does not cut the creation short (half a target could stay
     * behind): it is only recorded, then the created target goes and nothing starts.
     */
    @Test
    void aSigtermDuringTheTargetsCreationLetsItFinishThenRemovesIt() {
        runtime.exitTimes.put(action.id(), T0);
        runtime.onCall = runtime.onCall.andThen(call -> {
            if (call.startsWith("create ")) {
                stop.handle(new Signal("TERM"));
                assertThat(Thread.currentThread().isInterrupted()).as("the creation is not interrupted").isFalse();
            }
        });

        assertThat(catchThrowableOfType(StoppedDuringWaitException.class, () -> run(waiting(Duration.ofSeconds(30)), runtime)))
            .hasMessageContaining("reboot:v1 was not started");
        assertThat(runtime.removed).containsExactly("created-1");
        assertThat(runtime.started).isEmpty();
        assertThat(time.sleeps).as("no wait once stopped").isEmpty();
    }

    /**
     * A stop that ended the creation's CLI along with it (podman, with the clone in the host's pid namespace,
     * was seen to leave such a target): the target the failed creation left is found by its labels and removed.
     */
    @Test
    void aTargetLeftByACreationTheStopCutShortIsFoundByItsLabelsAndRemoved() {
        runtime.exitTimes.put(action.id(), T0);
        runtime.onCall = runtime.onCall.andThen(call -> {
            if (call.startsWith("create ")) {
                stop.handle(new Signal("TERM"));
                runtime.listing.add(new ContainerSummary("half-made", false, T0,
                    Map.of(Contract.PHASE_LABEL, Contract.PHASE_LABEL_TARGET, Contract.ACTION_LABEL, action.id())));
                throw new EngineException("signal: terminated", null);
            }
        });

        assertThat(catchThrowableOfType(StoppedDuringWaitException.class, () -> run(waiting(Duration.ofSeconds(30)), runtime)))
            .hasMessageContaining("reboot:v1 was not started");
        assertThat(runtime.calls).contains("listByLabel " + Contract.ACTION_LABEL + "=" + action.id());
        assertThat(runtime.removed).containsExactly("half-made");
    }

    /** A SIGTERM between the wait's end and the start: the created target goes, and nothing started. */
    @Test
    void aSigtermAfterTheWaitButBeforeTheStartRemovesTheCreatedTarget() {
        runtime.exitTimes.put(action.id(), T0);
        time.afterSleep = () -> stop.handle(new Signal("TERM"));

        assertThat(catchThrowableOfType(StoppedDuringWaitException.class, () -> run(waiting(Duration.ofSeconds(30)), runtime)))
            .hasMessageContaining("reboot:v1 was not started");
        assertThat(runtime.started).isEmpty();
        assertThat(runtime.removed).containsExactly("created-1");
    }

    @Test
    void aSigtermWhileAFailingEngineIsRetriedIsAStopNotAFailure() {
        RecordingRuntime broken = failingFirst(Integer.MAX_VALUE);
        withTheClone(broken);
        time.duringSleep = () -> stop.handle(new Signal("TERM"));

        assertThat(catchThrowableOfType(StoppedDuringWaitException.class, () -> run(waiting(Duration.ofSeconds(3)), broken)))
            .isNotNull();
        assertThat(broken.started).isEmpty();
    }

    @Test
    void followsTheTargetAndReadsTheLastOutputOfOneThatFailed() throws Exception {
        runtime.exitCodes.put("created-1", 3);
        List<String> console = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            console.add("line " + i);
        }
        runtime.outputs.put("created-1", console);

        run(SettingsFixture.settings().image("reboot:v1").phase(Phase.CLONE).targetFollow(Duration.ofSeconds(5)).build(), runtime);

        assertThat(runtime.calls).contains("exitCode created-1", "lastOutput created-1 " + Clone.OUTPUT_LINES);
    }

    @Test
    void aTargetThatSucceedsNeedsNoOutputRead() throws Exception {
        runtime.exitCodes.put("created-1", 0);

        run(SettingsFixture.settings().image("reboot:v1").phase(Phase.CLONE).targetFollow(Duration.ofSeconds(5)).build(), runtime);

        assertThat(runtime.calls).contains("exitCode created-1").noneMatch(call -> call.startsWith("lastOutput"));
    }

    @Test
    void aTargetStillRunningAtTheBoundIsLeftRunning() throws Exception {
        run(SettingsFixture.settings().image("reboot:v1").phase(Phase.CLONE).waitTime(Duration.ZERO)
            .targetFollow(Duration.ofSeconds(1)).build(), runtime);

        assertThat(Duration.between(targetCreatedAt, time.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1))
            .isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(runtime.calls).noneMatch(call -> call.startsWith("lastOutput") || call.startsWith("remove"));
    }

    @Test
    void aTargetThatCannotStartFailsTheClone() {
        runtime.startFailure = new EngineException.NotFound("No such image: reboot:v1");

        PhaseException failure = catchThrowableOfType(PhaseException.class, () -> run(waiting(Duration.ZERO), runtime));

        assertThat(failure).hasMessage("cannot start the target from reboot:v1: No such image: reboot:v1");
    }

    /** Created during the wait, a target that cannot be created fails the clone then, in the words of a failed start. */
    @Test
    void aTargetThatCannotBeCreatedFailsTheCloneBeforeTheWaitIsOverAsAFailedStartWould() {
        runtime.exitTimes.put(action.id(), T0);
        runtime.createFailure = new EngineException("invalid mount config for type \"bind\": bind source path does not exist", null);

        PhaseException failure = catchThrowableOfType(PhaseException.class, () -> run(waiting(Duration.ofSeconds(30)), runtime));

        assertThat(failure).hasMessage("cannot start the target from reboot:v1: invalid mount config for type \"bind\": "
            + "bind source path does not exist");
        assertThat(time.sleeps).as("no wait for a target that cannot be").isEmpty();
        assertThat(runtime.removed).isEmpty();
    }

    @Test
    void readsWhatTheTargetNeedsBeforeTheWaitSoThatOnlyItsStartFollowsIt() throws Exception {
        run(waiting(Duration.ofMillis(200)), runtime);

        assertThat(runtime.calls).containsSubsequence("inspectImage " + self.imageId(), "isRunning " + action.id(),
            "create reboot:v1", "start created-1");
    }

    /**
     * The target is created as soon as the action's exit is known and only started when it is due: its
     * creation (about 190 ms on dockerd 20.10) is no longer late.
     */
    @Test
    void theTargetIsCreatedDuringTheWaitAndOnlyStartedWhenItIsDue() throws Exception {
        runtime.exitTimes.put(action.id(), T0);
        List<String> callsBeforeTheWaitsEnd = new ArrayList<>();
        time.duringSleep = () -> callsBeforeTheWaitsEnd.addAll(runtime.calls);

        run(waiting(Duration.ofSeconds(30)), runtime);

        assertThat(callsBeforeTheWaitsEnd).contains("create reboot:v1", "prepareStart created-1").doesNotContain("start created-1");
        assertThat(runtime.calls).endsWith("create reboot:v1", "prepareStart created-1", "start created-1");
    }

    /** What the engine does of a start before it is due (podman's init) fails as a start would, during the wait, and tidies. */
    @Test
    void aTargetThatCannotBePreparedFailsTheCloneDuringTheWaitAndIsRemoved() {
        runtime.exitTimes.put(action.id(), T0);
        runtime.prepareFailure = new EngineException("(the engine's refusal)", null);

        PhaseException failure = catchThrowableOfType(PhaseException.class, () -> run(waiting(Duration.ofSeconds(30)), runtime));

        assertThat(failure).hasMessage("cannot start the target from reboot:v1: (the engine's refusal)");
        assertThat(time.sleeps).as("no wait for a target that cannot be").isEmpty();
        assertThat(runtime.removed).containsExactly("created-1");
        assertThat(runtime.calls).doesNotContain("start created-1");
    }

    @Test
    void anEngineThatCannotReadTheClonesOwnImageFailsItBeforeTheWaitSayingSoAndStartsNothing() {
        RecordingRuntime failingImage = new RecordingRuntime("fake") {
            @Override
            public Optional<ImageInfo> inspectImage(String image) {
                throw new EngineException(500, "image store broke");
            }
        };
        failingImage.containers.putAll(runtime.containers);

        PhaseException failure = catchThrowableOfType(PhaseException.class,
            () -> run(waiting(Duration.ofSeconds(30)), failingImage));

        assertThat(failure).hasMessage("cannot read waitdaemon's own image " + self.imageId()
            + " (its defaults are kept from the target reboot:v1): image store broke");
        assertThat(failure.fix()).doesNotContain("entrypoint");
        assertThat(time.sleeps).isEmpty();
        assertThat(failingImage.started).isEmpty();
    }

    @Test
    void removesExitedClonesOfEarlierRunsBeyondTheNewestThree() throws Exception {
        for (int i = 5; i >= 1; i--) {
            runtime.addExited("old" + i, i);
        }

        run(waiting(Duration.ZERO), runtime);

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
        withTheClone(failingList);

        run(waiting(Duration.ZERO), failingList);

        assertThat(failingList.started).hasSize(1);
    }

    /** A clock that moves only when the clone sleeps; a sleep may be interrupted as a real one is. */
    static final class VirtualTime implements Clone.Pacer {
        private Instant now = T0;
        final List<Duration> sleeps = new ArrayList<>();
        Runnable duringSleep = () -> { };
        /** Runs once the sleep is over and the clock has moved. */
        Runnable afterSleep = () -> { };

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration duration, TerminationSignal.Watch stop) throws InterruptedException {
            sleeps.add(duration);
            duringSleep.run();
            if (stop.received()) {
                return;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("sleep interrupted");
            }
            now = now.plus(duration);
            afterSleep.run();
        }
    }
}
