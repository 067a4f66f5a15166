package dev.waitdaemon.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
    void theCreateRequestIsTheInspectedContainerWithTheSpecLaidOverIt() throws Exception {
        ObjectNode inspected = (ObjectNode) DockerFixtures.tree(DockerFixtures.DOCKER_ACTION);
        ((ObjectNode) inspected.get("Config")).put("WorkingDir", "/tmp").set("FutureField", json.readTree("{\"On\":true}"));
        ObjectNode inspectedHost = (ObjectNode) inspected.get("HostConfig");
        inspectedHost.put("FutureHostSetting", 7);
        inspectedHost.set("Mounts", json.readTree("[{\"Type\":\"tmpfs\",\"Target\":\"/scratch\","
            + "\"TmpfsOptions\":{\"SizeBytes\":1048576,\"Mode\":448}}]"));
        inspectedHost.set("Ulimits", json.readTree("[{\"Name\":\"RLIMIT_NOFILE\",\"Soft\":1024,\"Hard\":2048}]"));
        ContainerInfo action = DockerMapping.toContainerInfo(inspected);
        HostSettings host = new HostSettings(true, null, "host", null, null, List.of("/dev:/dev"),
            List.of(new HostSettings.MountSpec("tmpfs", "", "/scratch", false, null)), null, null, null, null);
        ContainerSpec spec = new ContainerSpec("sha256:waitdaemon", null, List.of("reboot"), List.of("A=1"),
            Map.of("waitdaemon.phase", "clone"), false, host, action.inherited());

        ObjectNode body = DockerMapping.toCreateRequest(spec);

        assertThat(body.get("FutureField")).as("a field this code has never heard of").isEqualTo(json.readTree("{\"On\":true}"));
        assertThat(body.get("WorkingDir").asText()).isEqualTo("/tmp");
        assertThat(body.has("Config")).as("Config's fields sit at the top of a create request").isFalse();
        assertThat(body.get("Image").asText()).isEqualTo("sha256:waitdaemon");
        assertThat(body.get("Labels")).isEqualTo(json.readTree("{\"waitdaemon.phase\":\"clone\"}"));
        JsonNode hostConfig = body.get("HostConfig");
        assertThat(hostConfig.get("FutureHostSetting").asInt()).isEqualTo(7);
        assertThat(hostConfig.has("PidMode")).as("the spec's engine default replaces the inspected host").isFalse();
        assertThat(hostConfig.get("NetworkMode").asText()).isEqualTo("host");
        assertThat(hostConfig.get("Binds")).isEqualTo(json.readTree("[\"/dev:/dev\"]"));
        assertThat(hostConfig.get("Mounts").get(0).get("TmpfsOptions"))
            .as("what the records do not hold of a mount is kept").isEqualTo(json.readTree("{\"SizeBytes\":1048576,\"Mode\":448}"));
        assertThat(hostConfig.get("Ulimits").get(0).get("Name").asText()).as("podman's kernel name, as engines take it")
            .isEqualTo("nofile");
        assertThat(hostConfig.get("LogConfig")).isEqualTo(inspectedHost.get("LogConfig"));
        assertThat(DockerMapping.toCreateRequest(spec)).as("the spec is left as it was").isEqualTo(body);
    }

    /**
     * --mount type=bind,...,bind-recursive=disabled: the inspect's BindOptions say NonRecursive. Replaced by
     * {Propagation} alone, the target got a recursive bind and the host's submounts under it.
     */
    @Test
    void everyBindOptionOfTheInspectedMountIsKept() throws Exception {
        ObjectNode inspected = (ObjectNode) DockerFixtures.tree(DockerFixtures.DOCKER_ACTION);
        ObjectNode inspectedHost = (ObjectNode) inspected.get("HostConfig");
        inspectedHost.set("Mounts", json.readTree("[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/host\","
            + "\"BindOptions\":{\"Propagation\":\"rslave\",\"NonRecursive\":true,\"CreateMountpoint\":true}},"
            + "{\"Type\":\"bind\",\"Source\":\"/boot\",\"Target\":\"/boot\",\"ReadOnly\":true,"
            + "\"BindOptions\":{\"ReadOnlyForceRecursive\":true}}]"));
        ContainerInfo action = DockerMapping.toContainerInfo(inspected);
        ContainerSpec spec = new ContainerSpec("sha256:waitdaemon", null, List.of("reboot"), List.of(), Map.of(), false,
            action.host(), action.inherited());

        JsonNode mounts = DockerMapping.toCreateRequest(spec).get("HostConfig").get("Mounts");

        assertThat(mounts.get(0).get("BindOptions"))
            .isEqualTo(json.readTree("{\"Propagation\":\"rslave\",\"NonRecursive\":true,\"CreateMountpoint\":true}"));
        assertThat(mounts.get(1).get("BindOptions")).isEqualTo(json.readTree("{\"ReadOnlyForceRecursive\":true}"));
        assertThat(mounts.get(1).get("ReadOnly").asBoolean()).isTrue();
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
