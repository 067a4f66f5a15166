package dev.waitdaemon.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;

class RuntimeDetectionTest {

    private final List<String> probed = new ArrayList<>();

    private RuntimeCandidate candidate(String name, int order, RuntimeChoice serves, boolean answers) {
        return new RuntimeCandidate() {
            @Override public String name() { return name; }
            @Override public int order() { return order; }
            @Override public RuntimeChoice serves() { return serves; }
            @Override public ContainerRuntime connect(Settings settings) throws RuntimeUnavailableException {
                probed.add(name);
                if (!answers) {
                    throw new RuntimeUnavailableException(name + " is not there", "install " + name);
                }
                return new RecordingRuntime(name);
            }
        };
    }

    private static Settings settings(RuntimeChoice choice) {
        return SettingsFixture.settings().runtime(choice).build();
    }

    @Test
    void autoTakesTheFirstThatAnswersInOrder() throws Exception {
        RuntimeDetection detection = new RuntimeDetection(List.of(
            candidate("late", 30, RuntimeChoice.DOCKER, true),
            candidate("first", 10, RuntimeChoice.DOCKER, false),
            candidate("second", 20, RuntimeChoice.NERDCTL, true)));

        RuntimeDetection.Selection selection = detection.select(settings(RuntimeChoice.AUTO));

        assertThat(selection.runtime().name()).isEqualTo("second");
        assertThat(selection.why()).isEqualTo("first of the auto-detection order to answer, after first (first is not there)");
        assertThat(probed).containsExactly("first", "second");
    }

    @Test
    void anExplicitChoiceAsksOnlyItsOwnCandidates() throws Exception {
        RuntimeDetection detection = new RuntimeDetection(List.of(
            candidate("api", 10, RuntimeChoice.DOCKER, true),
            candidate("cli", 20, RuntimeChoice.NERDCTL, true)));

        RuntimeDetection.Selection selection = detection.select(settings(RuntimeChoice.NERDCTL));

        assertThat(selection.runtime().name()).isEqualTo("cli");
        assertThat(selection.why()).isEqualTo("named by CONTAINER_RUNTIME");
        assertThat(probed).containsExactly("cli");
    }

    @Test
    void whenNothingAnswersEveryCandidateIsListedWithReasonAndFix() {
        RuntimeDetection detection = new RuntimeDetection(List.of(
            candidate("a", 10, RuntimeChoice.DOCKER, false),
            candidate("b", 20, RuntimeChoice.NERDCTL, false)));

        NoUsableRuntimeException failure = catchThrowableOfType(NoUsableRuntimeException.class,
            () -> detection.select(settings(RuntimeChoice.AUTO)));

        assertThat(failure.attempts()).extracting(NoUsableRuntimeException.Attempt::candidate).containsExactly("a", "b");
        assertThat(failure.getMessage()).isEqualTo("no container runtime answered (CONTAINER_RUNTIME=auto) — "
            + "a: a is not there (fix: install a); b: b is not there (fix: install b) — mount the engine's socket "
            + "into the action, run it with pid: host for the host's CLI, or set CONTAINER_RUNTIME to the engine this "
            + "machine has");
    }

    @Test
    void anExplicitChoiceFailsWithItsOwnReason() {
        RuntimeDetection detection = new RuntimeDetection(List.of(candidate("api", 10, RuntimeChoice.DOCKER, false)));

        NoUsableRuntimeException failure = catchThrowableOfType(NoUsableRuntimeException.class,
            () -> detection.select(settings(RuntimeChoice.DOCKER)));

        assertThat(failure.getMessage()).startsWith("CONTAINER_RUNTIME=docker cannot be used — api: api is not there");
    }
}
