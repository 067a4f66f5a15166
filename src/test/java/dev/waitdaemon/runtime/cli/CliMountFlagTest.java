package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.HostSettings.MountSpec;

/** Each CLI's --mount, from the mount and what the engine reported of it (HostConfig.Mounts). */
class CliMountFlagTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode reported(String mount) throws Exception {
        return json.readTree("[" + mount + "]");
    }

    /** docker 20.10 and podman 4.3 read one CSV record: measured with sources "/tmp/wd m,1" and "/tmp/wd q\"2". */
    @Test
    void aPathWithACommaOrAQuoteIsOneQuotedFieldForDockerAndPodman() throws Exception {
        MountSpec comma = new MountSpec("bind", "/tmp/wd m,1", "/x", true, null);
        MountSpec quote = new MountSpec("bind", "/tmp/wd q\"2", "/y", false, null);

        for (CliDialect dialect : new CliDialect[] { CliDialect.DOCKER, CliDialect.PODMAN }) {
            assertThat(CliMountFlag.of(dialect, comma, reported("")).value())
                .isEqualTo("type=bind,\"source=/tmp/wd m,1\",target=/x,readonly");
            assertThat(CliMountFlag.of(dialect, quote, reported("")).value())
                .isEqualTo("type=bind,\"source=/tmp/wd q\"\"2\",target=/y");
            assertThat(CliMountFlag.of(dialect, comma, reported("")).problems()).isEmpty();
        }
    }

    /** nerdctl 2.2.1 splits at every comma and joins source and target with colons (pkg/mountutil). */
    @Test
    void nerdctlCannotBeGivenACommaOrAColonInAPath() throws Exception {
        assertThat(CliMountFlag.of(CliDialect.NERDCTL, new MountSpec("bind", "/data/a,b", "/x", false, null), reported("")).problems())
            .containsExactly("the mount at /x: nerdctl's --mount cannot hold a comma, or a colon in a path");
        assertThat(CliMountFlag.of(CliDialect.NERDCTL, new MountSpec("bind", "/data/a:b", "/x", false, null), reported("")).problems())
            .hasSize(1);
        assertThat(CliMountFlag.of(CliDialect.NERDCTL, new MountSpec("bind", "/data", "/x", false, "rslave"), reported("")).value())
            .isEqualTo("type=bind,source=/data,target=/x,bind-propagation=rslave");
    }

    @Test
    void aNonRecursiveBindStaysNonRecursiveOnEveryCli() throws Exception {
        MountSpec host = new MountSpec("bind", "/", "/host", false, "rprivate");
        JsonNode nonRecursive = reported("{\"Type\":\"bind\",\"Target\":\"/host\",\"BindOptions\":{\"NonRecursive\":true}}");

        for (CliDialect dialect : CliDialect.values()) {
            assertThat(CliMountFlag.of(dialect, host, nonRecursive).value())
                .isEqualTo("type=bind,source=/,target=/host,bind-propagation=rprivate,bind-nonrecursive");
        }
    }

    /** Left out, these would widen what the target sees: the whole volume, a writable or read-only tree. */
    @Test
    void aSubpathOrAReadOnlyRecursionIsSpelledByDockerAndRefusedByTheOthers() throws Exception {
        MountSpec volume = new MountSpec("volume", "data", "/data", false, null);
        JsonNode subpath = reported("{\"Type\":\"volume\",\"Target\":\"/data\",\"VolumeOptions\":{\"Subpath\":\"boot\"}}");
        MountSpec bind = new MountSpec("bind", "/", "/host", true, null);
        JsonNode forced = reported("{\"Type\":\"bind\",\"Target\":\"/host\",\"BindOptions\":{\"ReadOnlyForceRecursive\":true}}");

        assertThat(CliMountFlag.of(CliDialect.DOCKER, volume, subpath).value())
            .isEqualTo("type=volume,source=data,target=/data,volume-subpath=boot");
        assertThat(CliMountFlag.of(CliDialect.DOCKER, bind, forced).value())
            .isEqualTo("type=bind,source=/,target=/host,readonly,bind-recursive=readonly");
        assertThat(CliMountFlag.of(CliDialect.PODMAN, volume, subpath).problems()).containsExactly(
            "the mount at /data: podman's --mount has no volume-subpath, and without it the whole volume would be mounted");
        assertThat(CliMountFlag.of(CliDialect.NERDCTL, bind, forced).problems())
            .containsExactly("the mount at /host: nerdctl's --mount cannot say bind-recursive=readonly");
    }

    @Test
    void optionsThatOnlyShapeAVolumesCreationAreNamedAsLeftOut() throws Exception {
        MountSpec volume = new MountSpec("volume", "data", "/data", false, null);
        JsonNode options = reported("{\"Type\":\"volume\",\"Target\":\"/data\",\"VolumeOptions\":{\"NoCopy\":true,"
            + "\"Labels\":{\"team\":\"x\"},\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"nfs\"}}}}");

        CliMountFlag docker = CliMountFlag.of(CliDialect.DOCKER, volume, options);
        CliMountFlag nerdctl = CliMountFlag.of(CliDialect.NERDCTL, volume, options);

        assertThat(docker.value()).isEqualTo("type=volume,source=data,target=/data,volume-nocopy");
        assertThat(docker.uncarried()).containsExactly(
            "the mount at /data: VolumeOptions.DriverConfig (they shape a volume's creation, and it exists)",
            "the mount at /data: VolumeOptions.Labels (they shape a volume's creation, and it exists)");
        assertThat(nerdctl.value()).as("nerdctl refuses a key it does not know").isEqualTo("type=volume,source=data,target=/data");
        assertThat(nerdctl.uncarried()).hasSize(3).first().asString().contains("NoCopy");
        assertThat(docker.problems()).isEmpty();
    }

    @Test
    void aTmpfsKeepsItsSizeAndMode() throws Exception {
        JsonNode tmpfs = reported("{\"Type\":\"tmpfs\",\"Target\":\"/scratch\",\"TmpfsOptions\":{\"SizeBytes\":1048576,\"Mode\":448}}");

        assertThat(CliMountFlag.of(CliDialect.NERDCTL, new MountSpec("tmpfs", "", "/scratch", false, null), tmpfs).value())
            .isEqualTo("type=tmpfs,target=/scratch,tmpfs-size=1048576,tmpfs-mode=700");
    }
}
