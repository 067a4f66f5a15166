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

        assertThat(CliArguments.create(spec, null, "/proc/7/root/tmp/waitdaemon-1/env")).containsExactly(
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

        assertThat(CliArguments.create(spec, "/bin/entry", "/tmp/env")).containsExactly("create", "--entrypoint", "/bin/entry", "--", "img");
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
        assertThat(CliArguments.envFile(List.of("GREETING=hello world", "EMPTY=", "QUOTED=\"a b\"", "EQ=a=b")))
            .isEqualTo("GREETING=hello world\nEMPTY=\nQUOTED=\"a b\"\nEQ=a=b\n");
        assertThatThrownBy(() -> CliArguments.envFile(List.of("KEY=-----BEGIN\nsecret-body")))
            .hasMessageStartingWith("the value of KEY has a line break").hasMessageNotContaining("secret-body");
    }
}
