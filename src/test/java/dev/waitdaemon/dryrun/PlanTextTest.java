package dev.waitdaemon.dryrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.InheritedSettings;

class PlanTextTest {

    @Test
    void showsEveryPartWithTheEnvironmentsNamesOnly() throws Exception {
        HostSettings host = new HostSettings(true, "host", "host", null, null, List.of("/data:/out:ro"),
            List.of(new HostSettings.MountSpec("bind", "/lib/modules", "/lib/modules", true, null)), List.of("ALL"),
            List.of("SYS_RESOURCE"), List.of(new HostSettings.DeviceMapping("/dev/kmsg", "/dev/kmsg", "rwm")), List.of());
        ContainerSpec target = new ContainerSpec("local/reboot:v1", null, List.of("sh", "-c", "echo \"a b\""),
            List.of("GREETING=hello world", "REGISTRY_TOKEN=s3cret", "A=1"),
            Map.of("waitdaemon.phase", "target", "waitdaemon.action", "abc"), false, host, inherited());

        List<String> lines = PlanText.render("target:", target);

        assertThat(lines).containsExactly(
            "target:",
            "  image: local/reboot:v1",
            "  entrypoint: (the image's own)",
            "  command: [\"sh\" \"-c\" \"echo \\\"a b\\\"\"]",
            "  environment: A, GREETING, REGISTRY_TOKEN (values hidden)",
            "  binds: /data:/out:ro",
            "  mounts: type=bind,source=/lib/modules,target=/lib/modules,readonly",
            "  modes: pid=host network=host ipc=(engine default) uts=(engine default)",
            "  privileged: yes",
            "  capabilities: add [ALL], drop [SYS_RESOURCE]",
            "  devices: /dev/kmsg:/dev/kmsg:rwm",
            "  labels: waitdaemon.action=abc, waitdaemon.phase=target",
            "  tty: no",
            "  also inherited: Healthcheck={\"Test\":\"(hidden)\",\"Interval\":5000000000}, "
                + "LogConfig={\"Type\":\"splunk\",\"Config\":{\"splunk-token\":\"(hidden)\",\"tag\":\"(hidden)\"}}, "
                + "Ulimits=[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}], WorkingDir=\"/tmp\"");
        // a log driver's token and a health check's password are never shown; their settings are named
        assertThat(String.join("\n", lines)).doesNotContain("s3cret", "hello world");
    }

    /**
     * What the engine reported beside the records: the lines above already show the environment (by name)
     * and the modes, what is empty, zero or false says nothing, and podman's CreateCommand (which repeats
     * the environment's values) is no setting.
     */
    private static InheritedSettings inherited() throws Exception {
        ObjectMapper json = new ObjectMapper();
        return InheritedSettings.of(
            json.readTree("{\"Env\":[\"REGISTRY_TOKEN=s3cret\"],\"WorkingDir\":\"/tmp\",\"User\":\"\",\"Tty\":false,"
                + "\"Healthcheck\":{\"Test\":[\"CMD\",\"curl\",\"-u\",\"admin:hc-s3cret\",\"http://127.0.0.1/\"],\"Interval\":5000000000},"
                + "\"CreateCommand\":[\"podman\",\"create\",\"-e\",\"REGISTRY_TOKEN=s3cret\"]}"),
            json.readTree("{\"PidMode\":\"host\",\"Memory\":0,\"Dns\":[],\"AutoRemove\":false,"
                + "\"LogConfig\":{\"Type\":\"splunk\",\"Config\":{\"splunk-token\":\"sp-s3cret\",\"tag\":\"action\"}},"
                + "\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}]}"));
    }

    @Test
    void anEmptyCommandAndEnvironmentSaySo() {
        HostSettings defaults = new HostSettings(false, null, null, null, null, null, null, null, null, null, null);
        ContainerSpec clone = new ContainerSpec("sha256:1", List.of("/opt/java/bin/java"), List.of(), List.of(), Map.of(), true,
            defaults);

        assertThat(PlanText.render("clone:", clone)).contains("  entrypoint: [\"/opt/java/bin/java\"]",
            "  command: (the image's default)", "  environment: (none)", "  binds: (none)", "  privileged: no", "  tty: yes",
            "  also inherited: (nothing else)");
    }
}
