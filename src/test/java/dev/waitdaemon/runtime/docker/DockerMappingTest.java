package dev.waitdaemon.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.HostSettings;

class DockerMappingTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsWhatTinkAgentGaveTheActionFromDockerInspect() {
        ContainerInfo action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);

        assertThat(action.id()).startsWith("9c689dc8868a");
        assertThat(action.imageId()).startsWith("sha256:9c2af020");
        assertThat(action.entrypoint()).isNull();
        assertThat(action.cmd()).containsExactly("/bin/sh", "-c", "echo $GREETING > /out/marker");
        assertThat(action.env()).contains("GREETING=hello world", "WAIT_SECONDS=5");
        assertThat(action.host().privileged()).isTrue();
        assertThat(action.host().pidMode()).isEqualTo("host");
        assertThat(action.host().networkMode()).isEqualTo("default");
        assertThat(action.host().utsMode()).as("an empty mode is the engine's default").isNull();
        assertThat(action.host().binds())
            .containsExactly("/var/lib/action-data:/out:ro", "/var/run/docker.sock:/var/run/docker.sock");
        assertThat(action.host().securityOpt()).containsExactly("label=disable");
    }

    @Test
    void readsPodmansCompatibleInspect() {
        ContainerInfo action = DockerFixtures.containerInfo(DockerFixtures.PODMAN_ACTION);

        assertThat(action.entrypoint()).isEmpty();
        assertThat(action.host().privileged()).isTrue();
        assertThat(action.host().binds()).containsExactly("/var/lib/action-data:/out:rw,rprivate,rbind");
        assertThat(action.host().capDrop()).containsExactly("SYS_RESOURCE");
        assertThat(action.host().utsMode()).isEqualTo("private");
    }

    @Test
    void createRequestCarriesEveryHostSettingInDockersSpelling() {
        HostSettings host = new HostSettings(true, "host", "host", "host", "host", List.of("/dev:/dev"),
            List.of(new HostSettings.MountSpec("bind", "/lib/modules", "/lib/modules", true, "rslave")),
            List.of("ALL"), List.of("SYS_RESOURCE"),
            List.of(new HostSettings.DeviceMapping("/dev/kmsg", "/dev/kmsg", "rwm")), List.of("label=disable"));
        ContainerSpec spec = new ContainerSpec("local/target:1", null, List.of("--help"), List.of("A=1"),
            Map.of("waitdaemon.phase", "target"), true, host);

        JsonNode body = json.valueToTree(DockerMapping.toCreateRequest(spec));

        assertThat(body.has("Entrypoint")).as("absent means the image's own entrypoint").isFalse();
        assertThat(body.get("Image").asText()).isEqualTo("local/target:1");
        assertThat(body.get("Cmd").get(0).asText()).isEqualTo("--help");
        assertThat(body.get("Tty").asBoolean()).isTrue();
        JsonNode hostConfig = body.get("HostConfig");
        assertThat(hostConfig.get("Privileged").asBoolean()).isTrue();
        assertThat(hostConfig.get("PidMode").asText()).isEqualTo("host");
        assertThat(hostConfig.get("NetworkMode").asText()).isEqualTo("host");
        assertThat(hostConfig.get("IpcMode").asText()).isEqualTo("host");
        assertThat(hostConfig.get("UTSMode").asText()).isEqualTo("host");
        assertThat(hostConfig.get("Binds").get(0).asText()).isEqualTo("/dev:/dev");
        JsonNode mount = hostConfig.get("Mounts").get(0);
        assertThat(mount.get("Type").asText()).isEqualTo("bind");
        assertThat(mount.get("ReadOnly").asBoolean()).isTrue();
        assertThat(mount.get("BindOptions").get("Propagation").asText()).isEqualTo("rslave");
        assertThat(hostConfig.get("CapAdd").get(0).asText()).isEqualTo("ALL");
        assertThat(hostConfig.get("CapDrop").get(0).asText()).isEqualTo("SYS_RESOURCE");
        assertThat(hostConfig.get("Devices").get(0).get("PathOnHost").asText()).isEqualTo("/dev/kmsg");
        assertThat(hostConfig.get("Devices").get(0).get("CgroupPermissions").asText()).isEqualTo("rwm");
        assertThat(hostConfig.get("SecurityOpt").get(0).asText()).isEqualTo("label=disable");
    }

    @Test
    void anEmptyCommandLeavesTheImagesDefaultCommand() {
        HostSettings host = new HostSettings(false, null, null, null, null, null, null, null, null, null, null);
        ContainerSpec spec = new ContainerSpec("img", null, List.of(), List.of(), Map.of(), false, host);

        JsonNode body = json.valueToTree(DockerMapping.toCreateRequest(spec));

        assertThat(body.has("Cmd")).isFalse();
        assertThat(body.get("HostConfig").has("Binds")).isFalse();
        assertThat(body.get("HostConfig").has("PidMode")).isFalse();
    }

    @Test
    void readsTheStateOfAnInspectForStatus() {
        var created = DockerMapping.toStatus(DockerFixtures.inspect(DockerFixtures.DOCKER_ACTION));

        assertThat(created.state()).isEqualTo("created");
        assertThat(created.image()).as("the name it was created from, not the id").isEqualTo("local/busybox:test");
        assertThat(created.exitCode()).as("it never ran").isEmpty();
        assertThat(created.created()).contains(java.time.Instant.parse("2026-11-23T23:59:14.110812854Z"));
        assertThat(created.labels()).isEqualTo(DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION).labels());
    }
}
