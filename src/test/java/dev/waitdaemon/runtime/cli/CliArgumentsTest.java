package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.HostSettings;

class CliArgumentsTest {

    private static Settings settings(boolean hostMode, int pid, String namespace) {
        return SettingsFixture.settings().runtime(RuntimeChoice.NERDCTL).namespace(namespace).hostMode(hostMode, pid).build();
    }

    @Test
    void nerdctlInHostModeRunsBehindNsenterWithItsNamespace() {
        CliInvocation nerdctl = CliInvocation.of(CliDialect.NERDCTL, settings(true, 1, "tinkerbell"));

        assertThat(nerdctl.argv(List.of("version"))).containsExactly(
            "nsenter", "-t", "1", "-m", "-u", "-i", "-n", "-p", "-C", "--", "nerdctl", "--namespace", "tinkerbell", "version");
    }

    @Test
    void theHostPidAndNamespaceAreSettings() {
        assertThat(CliInvocation.of(CliDialect.NERDCTL, settings(true, 4242, "k8s.io")).argv(List.of("ps")))
            .containsSubsequence("-t", "4242").containsSubsequence("--namespace", "k8s.io");
    }

    @Test
    void volumeModeRunsTheCliInsideTheContainer() {
        assertThat(CliInvocation.of(CliDialect.NERDCTL, settings(false, 1, "tinkerbell")).argv(List.of("ps")))
            .containsExactly("nerdctl", "--namespace", "tinkerbell", "ps");
    }

    @Test
    void dockerAndPodmanHaveNoNamespace() {
        assertThat(CliInvocation.of(CliDialect.DOCKER, settings(false, 1, "tinkerbell")).argv(List.of("ps")))
            .containsExactly("docker", "ps");
        assertThat(CliInvocation.of(CliDialect.PODMAN, settings(true, 7, "tinkerbell")).argv(List.of("ps")))
            .containsExactly("nsenter", "-t", "7", "-m", "-u", "-i", "-n", "-p", "-C", "--", "podman", "ps");
    }

    @Test
    void createCarriesEveryHostSettingAndEndsOptionsBeforeTheImage() {
        HostSettings host = new HostSettings(true, "host", "host", "private", "host",
            List.of("/run/containerd/containerd.sock:/run/containerd/containerd.sock", "/lib/modules:/lib/modules:ro,rslave"),
            List.of(new HostSettings.MountSpec("bind", "/dev", "/dev", false, "rshared")),
            List.of("SYS_ADMIN"), List.of("SYS_RESOURCE"),
            List.of(new HostSettings.DeviceMapping("/dev/kmsg", "/dev/kmsg", "rwm")), List.of("apparmor=unconfined"));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("waitdaemon.phase", "target");
        labels.put("waitdaemon.action", "abc");
        ContainerSpec spec = new ContainerSpec("quay.io/tinkerbell/actions/reboot:v1", null,
            List.of("--help", "-c", "--", "a b"), List.of("GREETING=hello world", "TOKEN=s3cret"), labels, true, host);

        assertThat(CliArguments.create(CliDialect.DOCKER, spec, null, "/proc/7/root/tmp/waitdaemon-1/env")).containsExactly(
            "create", "--privileged", "--pid", "host", "--network", "host", "--ipc", "private", "--uts", "host",
            "--volume", "/run/containerd/containerd.sock:/run/containerd/containerd.sock",
            "--volume", "/lib/modules:/lib/modules:ro,rslave",
            "--mount", "type=bind,source=/dev,target=/dev,bind-propagation=rshared",
            "--cap-add", "SYS_ADMIN", "--cap-drop", "SYS_RESOURCE", "--device", "/dev/kmsg:/dev/kmsg:rwm",
            "--security-opt", "apparmor=unconfined", "--tty",
            "--env-file", "/proc/7/root/tmp/waitdaemon-1/env",
            "--label", "waitdaemon.action=abc", "--label", "waitdaemon.phase=target",
            "--", "quay.io/tinkerbell/actions/reboot:v1", "--help", "-c", "--", "a b");
    }

    @Test
    void aDefaultNetworkAndUnsetModesAreLeftToTheEngine() {
        HostSettings host = new HostSettings(false, null, "default", null, null, null, null, null, null, null, null);
        ContainerSpec spec = new ContainerSpec("img", null, List.of(), List.of(), Map.of(), false, host);

        assertThat(CliArguments.create(CliDialect.DOCKER, spec, "/bin/entry", "/tmp/env")).containsExactly("create", "--entrypoint", "/bin/entry", "--", "img");
    }

    @Test
    void messagesNameTheProgramAndCountTheArgumentsButNeverQuoteThem() {
        CliInvocation docker = CliInvocation.of(CliDialect.DOCKER, settings(false, 1, "tinkerbell"));
        CliInvocation hostNerdctl = CliInvocation.of(CliDialect.NERDCTL, settings(true, 1, "tinkerbell"));
        List<String> create = List.of("create", "--label", "a=b", "--", "img", "sh", "-c", "curl -H 'Authorization: tok3n'");

        assertThat(docker.describe(create)).isEqualTo("docker create (7 more arguments)").doesNotContain("tok3n");
        assertThat(hostNerdctl.describe(List.of("version"))).isEqualTo("nsenter … nerdctl version (0 more arguments)");
    }

    @Test
    void theEnvironmentGoesInAnEnvFileOneVariableALineVerbatim() {
        assertThat(CliArguments.envFile(CliDialect.DOCKER, List.of("GREETING=hello world", "EMPTY=", "QUOTED=\"a b\"",
            "EQ=a=b", "LEAD=  x", "TRAIL=x  ")))
            .isEqualTo("GREETING=hello world\nEMPTY=\nQUOTED=\"a b\"\nEQ=a=b\nLEAD=  x\nTRAIL=x  \n");
        assertThatThrownBy(() -> CliArguments.envFile(CliDialect.PODMAN, List.of("KEY=-----BEGIN\nsecret-body")))
            .hasMessage("KEY: its value has a line break, which an env file cannot hold").hasMessageNotContaining("secret-body");
    }

    /**
     * What each CLI's env file would not give back as it is: docker 20.10 and podman 4.3 measured here (a
     * 70,000-byte line: "bufio.Scanner: token too long"; spaces at either end kept); nerdctl 2.2.1 trims each
     * line (strings.TrimSpace in its source).
     */
    @Test
    void eachEntryAnEnvFileWouldChangeOrRefuseIsNamedWithItsReason() {
        String big = "BIG=" + "x".repeat(70_000);
        List<String> env = List.of("OK=fine  inside", "TRAIL=x ", "TAB=x\t", "CR=x\r", big, "NBSP=x\u00a0");

        assertThat(CliArguments.envFileProblems(CliDialect.DOCKER, env)).containsExactly(
            "CR: its value ends in a carriage return, which docker reads as part of the line's end",
            "BIG: it is over the 64 KiB a line of docker's env file may have");
        assertThat(CliArguments.envFileProblems(CliDialect.NERDCTL, env)).containsExactly(
            "TRAIL: its value ends in white space, which nerdctl trims from each line of its env file",
            "TAB: its value ends in white space, which nerdctl trims from each line of its env file",
            "CR: its value ends in a carriage return, which nerdctl reads as part of the line's end",
            "BIG: it is over the 64 KiB a line of nerdctl's env file may have",
            "NBSP: its value ends in white space, which nerdctl trims from each line of its env file");
        // docker 20.10 and podman 4.3 read a line of 65,535 bytes and refuse one of 65,536
        assertThat(CliArguments.envFileProblems(CliDialect.PODMAN, List.of("A=" + "y".repeat(65_533)))).isEmpty();
        assertThat(CliArguments.envFileProblems(CliDialect.PODMAN, List.of("A=" + "y".repeat(65_534)))).hasSize(1);
    }
}
