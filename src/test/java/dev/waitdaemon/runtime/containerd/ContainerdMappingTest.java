package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.HostSettings;

/** containerd's OCI spec read in the seam's terms, and the phases' changes written back into it. */
class ContainerdMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The shape of a spec tink-agent's options give (pid: host and host network: no such namespaces). */
    static final String SPEC = """
        {"ociVersion":"1.2.1","process":{"terminal":false,"args":["/bin/waitdaemon","reboot","-f"],"env":["PATH=/bin","IMAGE=busybox"],
         "capabilities":{"bounding":["CAP_SYS_ADMIN","CAP_SYS_MODULE","CAP_SYS_BOOT"]}},
         "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
           {"destination":"/out","type":"bind","source":"/srv/out","options":["rbind","rw"]},
           {"destination":"/etc/resolv.conf","type":"bind","source":"/tmp/tink-dns-1/resolv.conf","options":["rbind","ro"]},
           {"destination":"/etc/hostname","type":"bind","source":"/tmp/tink-dns-1/hostname","options":["rbind","rw"]}],
         "linux":{"namespaces":[{"type":"ipc"},{"type":"uts"},{"type":"mount"}],"maskedPaths":[]}}
        """;

    private static ContainerdModel.Container container(String spec) {
        return new ContainerdModel.Container("a".repeat(64), Map.of("nerdctl/name", "reboot"), "docker.io/local/waitdaemon:dev",
            new ContainerdModel.Runtime("io.containerd.runc.v2", "", new byte[0]), spec, "overlayfs", "reboot-aaaaaaaa", Instant.EPOCH);
    }

    @Test
    void theProcessSplitsAtTheImagesEntrypointAndTheNamespacesReadInDockersWords() {
        ContainerInfo info = ContainerdMapping.toContainerInfo(container(SPEC), List.of("/bin/waitdaemon"), "/upper");

        assertThat(info.entrypoint()).containsExactly("/bin/waitdaemon");
        assertThat(info.cmd()).containsExactly("reboot", "-f");
        assertThat(info.env()).containsExactly("PATH=/bin", "IMAGE=busybox");
        HostSettings host = info.host();
        assertThat(host.privileged()).isTrue();
        assertThat(host.pidMode()).isEqualTo("host");
        assertThat(host.networkMode()).isEqualTo("host");
        assertThat(host.ipcMode()).isNull();
        assertThat(host.binds()).containsExactly("/srv/out:/out", "/tmp/tink-dns-1/resolv.conf:/etc/resolv.conf:ro",
            "/tmp/tink-dns-1/hostname:/etc/hostname");
        assertThat(info.writableLayer()).isEqualTo("/upper");
        assertThat(((ContainerdModel.Container) info.origin()).specJson()).isEqualTo(SPEC);
        assertThat(ContainerdMapping.ownNetwork(container(SPEC))).isFalse();
    }

    @Test
    void aProcessThatDoesNotStartWithTheEntrypointIsAllCommand() {
        ContainerInfo info = ContainerdMapping.toContainerInfo(container(SPEC), List.of("/other"), null);

        assertThat(info.entrypoint()).isEmpty();
        assertThat(info.cmd()).containsExactly("/bin/waitdaemon", "reboot", "-f");
    }

    @Test
    void aNetworkNamespaceOfItsOwnIsTheAgentsBridge() {
        String own = SPEC.replace("{\"type\":\"ipc\"}", "{\"type\":\"network\"},{\"type\":\"ipc\"}");
        String joined = SPEC.replace("{\"type\":\"ipc\"}", "{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"},{\"type\":\"ipc\"}");

        assertThat(ContainerdMapping.ownNetwork(container(own))).isTrue();
        assertThat(ContainerdMapping.ownNetwork(container(joined))).isFalse();
        assertThat(ContainerdMapping.hostSettings(ContainerdMapping.spec(joined)).networkMode()).isEqualTo("host");
    }

    @Test
    void masksAreAddedAfterTheMountsAndAgentFilesAreReplacedOrLeftOut() throws Exception {
        Map<String, String> sources = new HashMap<>();
        sources.put("/tmp/tink-dns-1/resolv.conf", "/run/waitdaemon/tinkerbell/b/resolv.conf");
        sources.put("/tmp/tink-dns-1/hostname", null);

        JsonNode spec = JSON.readTree(ContainerdMapping.withMounts(SPEC, List.of("/out/config.json"), sources));

        assertThat(spec.at("/mounts").toString()).isEqualTo(JSON.readTree("""
            [{"destination":"/proc","type":"proc","source":"proc"},
             {"destination":"/out","type":"bind","source":"/srv/out","options":["rbind","rw"]},
             {"destination":"/etc/resolv.conf","type":"bind","source":"/run/waitdaemon/tinkerbell/b/resolv.conf","options":["rbind","ro"]},
             {"destination":"/out/config.json","type":"bind","source":"/dev/null","options":["rbind","ro"]}]
            """).toString());
        assertThat(ContainerdMapping.bindsFrom(SPEC, ContainerdMapping.AGENT_FILES_PREFIX))
            .containsExactly(Map.entry("/tmp/tink-dns-1/resolv.conf", "/etc/resolv.conf"), Map.entry("/tmp/tink-dns-1/hostname", "/etc/hostname"));
    }
}
