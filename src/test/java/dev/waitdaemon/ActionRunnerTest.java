package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.FakeConfig;
import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.ScopedProblem;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.config.SettingsValidator;
import dev.waitdaemon.phase.Clone;
import dev.waitdaemon.phase.FirstFork;
import dev.waitdaemon.phase.ImagePull;
import dev.waitdaemon.registry.CredentialsFixture;
import dev.waitdaemon.report.SmeeReports;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.runtime.OwnContainerFixture;
import dev.waitdaemon.runtime.RecordingRuntime;
import dev.waitdaemon.runtime.RuntimeCandidate;
import dev.waitdaemon.runtime.RuntimeDetection;
import dev.waitdaemon.runtime.docker.DockerFixtures;
import dev.waitdaemon.dryrun.DryRun;
import dev.waitdaemon.support.EventLog;
import dev.waitdaemon.support.TerminationSignal;

/** What the runner decides once a runtime is chosen, with a fake engine. */
class ActionRunnerTest {

    /** A template copied with both names of the host-mode setting, and the two disagreeing. */
    private static final String[] DISAGREEING_HOST_NAMES = { "IMAGE", "reboot:v1", "WAIT_SECONDS", "0",
        "NERDCTL_HOST", "true", "NSENTER_HOST", "false" };

    private final RecordingRuntime runtime = new RecordingRuntime("fake");
    private ContainerInfo action;

    @BeforeEach
    void anActionContainer() {
        action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
        runtime.containers.put(action.id(), action);
        runtime.images.put("reboot:v1", new ImageInfo("sha256:t", List.of()));
    }

    private int run(String... env) {
        FakeConfig config = FakeConfig.with(env);
        OwnContainer own = OwnContainerFixture.claiming(action.id());
        EventLog log = new EventLog();
        ImagePull pull = new ImagePull(CredentialsFixture.none(), log);
        return new ActionRunner(new SettingsValidator(config, config.emptyNames()),
            new RuntimeDetection(List.of(candidate())), new FirstFork(own, pull, CredentialsFixture.none(), log), new Clone(own, log, new SmeeReports()),
            new DryRun(own, pull, CredentialsFixture.none(), log), new TerminationSignal(), log, new SmeeReports())
            .run(List.of("reboot"));
    }

    @Test
    void olderAndCurrentNamesThatDisagreeStopARuntimeThatReadsThemBeforeAnythingStarts() {
        runtime.reads.add(ScopedProblem.ReadBy.ANY_CLI);

        assertThat(run(DISAGREEING_HOST_NAMES)).isEqualTo(ExitCode.INVALID_CONFIGURATION.code());
        assertThat(runtime.started).isEmpty();
        assertThat(runtime.calls).noneMatch(call -> call.startsWith("pull") || call.startsWith("createAndStart"));
    }

    @Test
    void olderAndCurrentNamesThatDisagreeDoNotStopARuntimeThatReadsNeither() {
        assertThat(run(DISAGREEING_HOST_NAMES)).isEqualTo(ExitCode.OK.code());
        assertThat(runtime.started).hasSize(1);
    }

    private RuntimeCandidate candidate() {
        return new RuntimeCandidate() {
            @Override public String name() { return "fake"; }
            @Override public int order() { return 1; }
            @Override public RuntimeChoice serves() { return RuntimeChoice.DOCKER; }
            @Override public ContainerRuntime connect(Settings settings) { return runtime; }
        };
    }
}
