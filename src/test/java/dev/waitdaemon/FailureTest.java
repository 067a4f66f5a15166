package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.InvalidConfigurationException;
import dev.waitdaemon.phase.PhaseException;
import dev.waitdaemon.phase.StoppedDuringWaitException;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.NoUsableRuntimeException;

/** The one mapping from failures to exit codes and lines, for the phases and for status. */
class FailureTest {

    @Test
    void invalidConfigurationIsThreeWithALinePerProblemWhateverTheCommand() {
        Failure failure = Failure.of(new InvalidConfigurationException(List.of("IMAGE is not set: set it", "WAIT_SECONDS='x' is bad")),
            ExitCode.STATUS_FAILED);

        assertThat(failure.code()).isEqualTo(ExitCode.INVALID_CONFIGURATION);
        assertThat(failure.lines()).containsExactly("invalid configuration: IMAGE is not set: set it",
            "invalid configuration: WAIT_SECONDS='x' is bad");
    }

    @Test
    void noUsableRuntimeIsTwelve() {
        Failure failure = Failure.of(new NoUsableRuntimeException("nothing answered", List.of(
            new NoUsableRuntimeException.Attempt("docker-api", "no socket", "mount it")), "fix one"), ExitCode.CLONE_FAILED);

        assertThat(failure.code().code()).isEqualTo(12);
        assertThat(failure.lines()).singleElement().asString().contains("docker-api: no socket (fix: mount it)");
    }

    @Test
    void aStopIsFourAndAWarning() {
        Failure failure = Failure.of(new StoppedDuringWaitException("reboot:v1"), ExitCode.CLONE_FAILED);

        assertThat(failure.code().code()).isEqualTo(4);
        assertThat(failure.warning()).isTrue();
        assertThat(failure.event()).startsWith("target not started: the clone was stopped (SIGTERM)");
    }

    @Test
    void anEngineFailureMeansWhatItMeansToTheCommandThatMetIt() {
        EngineException broke = new EngineException(500, "listing broke");

        assertThat(Failure.of(broke, ExitCode.FIRST_FORK_FAILED).code().code()).isEqualTo(1);
        assertThat(Failure.of(broke, ExitCode.CLONE_FAILED).code().code()).isEqualTo(2);
        assertThat(Failure.of(broke, ExitCode.STATUS_FAILED)).satisfies(failure -> {
            assertThat(failure.code()).isEqualTo(ExitCode.STATUS_FAILED);
            assertThat(failure.lines()).containsExactly("the container engine failed: listing broke");
        });
    }

    @Test
    void aPhaseFailureNamesItsFixAndAnythingElseAsksForAReport() {
        assertThat(Failure.of(new PhaseException("cannot start the clone: x", "check the engine", null), ExitCode.FIRST_FORK_FAILED)
            .lines()).containsExactly("cannot start the clone: x — check the engine");
        assertThat(Failure.of(new IllegalStateException("odd"), ExitCode.FIRST_FORK_FAILED).lines()).singleElement()
            .asString().startsWith("unexpected IllegalStateException: odd").endsWith("please report this with the action's log");
    }
}
