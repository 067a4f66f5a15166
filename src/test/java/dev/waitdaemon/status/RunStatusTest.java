package dev.waitdaemon.status;

import static dev.waitdaemon.status.StatusFixtures.cloneOf;
import static dev.waitdaemon.status.StatusFixtures.targetOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RunStatusTest {

    @Test
    void groupsCloneAndTargetByTheirActionNewestFirst() {
        List<RunStatus> runs = RunStatus.of(List.of(
            cloneOf("c1", "a1", 0, "exited", 0), targetOf("t1", "a1", 10, "exited", 3),
            cloneOf("c2", "a2", 100, "running", null)));

        assertThat(runs).extracting(RunStatus::actionId).containsExactly("a2", "a1");
        assertThat(runs.get(1).cloneContainer()).hasValueSatisfying(clone -> assertThat(clone.id()).isEqualTo("c1"));
        assertThat(runs.get(1).target()).hasValueSatisfying(target -> assertThat(target.id()).isEqualTo("t1"));
        assertThat(runs.get(1).targetState()).isEqualTo("exited (3)");
        assertThat(runs.get(1).image()).isEqualTo("local/reboot:v1");
    }

    @Test
    void withoutATargetItSaysWhyFromWhatBecameOfTheClone() {
        assertThat(only(cloneOf("c", "a", 0, "running", null)).targetState()).isEqualTo("not started yet: the clone is waiting");
        assertThat(only(cloneOf("c", "a", 0, "exited", 4)).targetState()).isEqualTo("not started: the clone was stopped during its wait");
        assertThat(only(cloneOf("c", "a", 0, "exited", 2)).targetState())
            .isEqualTo("not started: the clone could not start it (see the clone's log)");
        assertThat(only(cloneOf("c", "a", 0, "exited", 137)).targetState()).isEqualTo("not started: the clone ended with exit code 137 first");
        assertThat(only(cloneOf("c", "a", 0, "exited", 0)).targetState()).isEqualTo("started, since removed");
        assertThat(only(cloneOf("c", "a", 0, "created", null)).targetState()).isEqualTo("not started: the clone never ran (created)");
        assertThat(only(targetOf("t", "a", 0, "running", null)).targetState()).isEqualTo("running");
        assertThat(RunStatus.of(List.of(targetOf("t", "a", 0, "exited", 0))).get(0).cloneContainer()).isEmpty();
    }

    /** The clone creates its target during the wait: created, with the clone still running, it is not started yet. */
    @Test
    void aTargetCreatedDuringTheWaitIsNotStartedYetWhileTheCloneRuns() {
        List<RunStatus> waiting = RunStatus.of(List.of(cloneOf("c", "a", 0, "running", null), targetOf("t", "a", 1, "created", null)));
        List<RunStatus> cloneGone = RunStatus.of(List.of(cloneOf("c", "a", 0, "exited", 137), targetOf("t", "a", 1, "created", null)));

        assertThat(waiting.get(0).targetState()).isEqualTo("not started yet: the clone is waiting (the target is created)");
        assertThat(cloneGone.get(0).targetState()).isEqualTo("created");
    }

    /** On podman the clone initialises its target during the wait too: podman's CLI then says "initialized". */
    @Test
    void aTargetInitialisedDuringTheWaitIsNotStartedYetEither() {
        List<RunStatus> waiting = RunStatus.of(List.of(cloneOf("c", "a", 0, "running", null), targetOf("t", "a", 1, "initialized", null)));

        assertThat(waiting.get(0).targetState()).isEqualTo("not started yet: the clone is waiting (the target is created)");
    }

    private static RunStatus only(dev.waitdaemon.runtime.ContainerStatus container) {
        return RunStatus.of(List.of(container)).get(0);
    }
}
