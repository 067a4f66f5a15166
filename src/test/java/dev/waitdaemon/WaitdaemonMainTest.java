package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The real main outside an action (no IMAGE): picocli serves help and version. */
@QuarkusMainTest
class WaitdaemonMainTest {

    @Test
    void helpListsTheEnvironmentAndExitCodes(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Usage: waitdaemon", "IMAGE", "WAIT_SECONDS", "CONTAINER_RUNTIME",
            "NERDCTL_NAMESPACE", "CONTAINERD_NAMESPACE", "NSENTER_HOST", "NERDCTL_HOST_PID", "podman",
            "12 no usable container runtime", "WAITDAEMON_DRY_RUN", "status");
    }

    @Test
    void statusHelpShowsBothOutputs(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Usage: waitdaemon status", "--output=FORMAT", "table", "json",
            "newest first", "12 no usable container runtime");
    }

    @Test
    void anUnknownStatusOutputIsInvalidConfiguration(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--output", "yaml");

        assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID_CONFIGURATION.code());
        assertThat(result.getErrorOutput()).contains("waitdaemon: invalid option:", "yaml", "waitdaemon status --help");
    }

    @Test
    void versionNamesTheProgram(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).startsWith("waitdaemon ");
    }

    @Test
    void withoutImageTheActionIsRefusedAsInvalidConfiguration(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("reboot");

        assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID_CONFIGURATION.code());
        assertThat(result.getErrorOutput()).contains("waitdaemon: invalid configuration: IMAGE is not set");
    }
}
