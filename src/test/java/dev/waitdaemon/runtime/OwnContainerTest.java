package dev.waitdaemon.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnContainerTest {

    private static final String ID = "9c689dc8868a9bac6650a1e04359f94c36a4e8baf854a64b1bda390295c47aa1";
    private static final String OTHER = "113ce9fb627c01a859b6f43b2a8187e1a0b52bebcc8d18423b0f5f402e46ccc6";

    private static final String DOCKER_MOUNTINFO = String.join("\n",
        "1034 970 0:118 / / rw,relatime master:437 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X",
        "1040 1034 254:0 /var/lib/docker/volumes/data/_data /data rw,relatime - ext4 /dev/vda rw",
        // a bind of another container's folder must not be mistaken for ours
        "1041 1034 254:0 /var/lib/docker/containers/" + OTHER + "/logs /logs rw - ext4 /dev/vda rw",
        "1043 1034 254:0 /var/lib/docker/containers/" + ID + "/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw",
        "1044 1034 254:0 /var/lib/docker/containers/" + ID + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw",
        "1045 1034 254:0 /var/lib/docker/containers/" + ID + "/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw");

    private static final String PODMAN_MOUNTINFO =
        "812 790 0:45 /containers/storage/overlay-containers/" + ID + "/userdata/hostname /etc/hostname rw,nosuid - tmpfs tmpfs rw";

    @Test
    void findsTheIdInTheEngineProvidedHostnameMount() {
        assertThat(OwnContainer.fromMountinfo(DOCKER_MOUNTINFO)).contains(ID);
        assertThat(OwnContainer.fromMountinfo(PODMAN_MOUNTINFO)).contains(ID);
    }

    @Test
    void ignoresMountinfoWithoutEngineFiles() {
        assertThat(OwnContainer.fromMountinfo("1 0 0:1 / / rw - overlay overlay rw\n")).isEmpty();
    }

    @Test
    void readsTheCgroupPathsOfDockerSystemdAndPodman() {
        assertThat(OwnContainer.fromCgroup("12:pids:/docker/" + ID + "\n1:name=systemd:/docker/" + ID)).contains(ID);
        assertThat(OwnContainer.fromCgroup("0::/system.slice/docker-" + ID + ".scope")).contains(ID);
        assertThat(OwnContainer.fromCgroup("0::/machine.slice/libpod-" + ID + ".scope")).contains(ID);
    }

    @Test
    void cgroupV2WithAPrivateNamespaceTellsNothing() {
        assertThat(OwnContainer.fromCgroup("0::/")).isEmpty();
    }

    @Test
    void triesMountinfoThenCgroupThenHostname(@TempDir Path procSelf) throws Exception {
        Files.writeString(procSelf.resolve("mountinfo"), DOCKER_MOUNTINFO);
        Files.writeString(procSelf.resolve("cgroup"), "12:pids:/docker/" + OTHER);

        assertThat(new OwnContainer(procSelf).candidateIds()).startsWith(ID, OTHER);
    }

    @Test
    void fallsBackToTheHostnameWhenProcTellsNothing(@TempDir Path procSelf) {
        assertThat(new OwnContainer(procSelf).candidateIds()).hasSizeLessThanOrEqualTo(1)
            .doesNotContain(ID, OTHER);
    }

    @Test
    void readsTheIdFromNerdctlsStateFolder() {
        String nerdctl = "900 880 254:0 /var/lib/nerdctl/1935db59/containers/tinkerbell/" + ID
            + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw";

        assertThat(OwnContainer.fromMountinfo(nerdctl)).contains(ID);
    }

    @Test
    void privilegedMeansEveryBoundingCapabilityIncludingSysAdmin() {
        // a privileged container where the host withholds CAP_SYS_RESOURCE from every container
        assertThat(OwnContainer.looksPrivileged("CapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\n")).isTrue();
        // docker's default set: effective equals bounding, but without CAP_SYS_ADMIN
        assertThat(OwnContainer.looksPrivileged("CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n")).isFalse();
        // a root process that dropped capabilities it could have
        assertThat(OwnContainer.looksPrivileged("CapEff:\t0000000000200000\nCapBnd:\t000001ffffffffff\n")).isFalse();
        assertThat(OwnContainer.looksPrivileged("")).isFalse();
    }

    @Test
    void oneNsPidEntryMeansTheHostsPidNamespace() {
        assertThat(OwnContainer.inHostPidNamespace("Name:\tjava\nNSpid:\t4242\n")).isTrue();
        assertThat(OwnContainer.inHostPidNamespace("NSpid:\t4242\t1\n")).isFalse();
    }

    @Test
    void fillsWhatTheEngineLeftUnreportedFromTheProcess(@TempDir Path procSelf) throws Exception {
        Files.writeString(procSelf.resolve("mountinfo"), DOCKER_MOUNTINFO);
        Files.writeString(procSelf.resolve("status"), "NSpid:\t4242\nCapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n");
        HostSettings nothing = new HostSettings(false, null, null, null, "host", List.of("/a:/a"), null, null, null, null, null);
        ContainerInfo reported = new ContainerInfo(ID, "img", null, null, null, Map.of(), false, nothing,
            Set.of(ContainerInfo.Unreported.ENV, ContainerInfo.Unreported.COMMAND, ContainerInfo.Unreported.PRIVILEGED,
                ContainerInfo.Unreported.PID_MODE));
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.containers.put(ID, reported);

        ContainerInfo completed = new OwnContainer(procSelf).inspectWith(runtime, List.of("reboot", "-f")).orElseThrow();

        assertThat(completed.cmd()).containsExactly("reboot", "-f");
        assertThat(completed.env()).as("this process's environment").contains("PATH=" + System.getenv("PATH"))
            .noneMatch(entry -> entry.startsWith("HOSTNAME="));
        assertThat(completed.host().privileged()).isTrue();
        assertThat(completed.host().pidMode()).isEqualTo("host");
        assertThat(completed.host().utsMode()).as("reported facts stay").isEqualTo("host");
        assertThat(completed.host().binds()).containsExactly("/a:/a");
    }

    @Test
    void leavesAFullyReportedContainerAlone(@TempDir Path procSelf) throws Exception {
        Files.writeString(procSelf.resolve("mountinfo"), DOCKER_MOUNTINFO);
        HostSettings host = new HostSettings(true, "host", null, null, null, null, null, null, null, null, null);
        ContainerInfo reported = new ContainerInfo(ID, "img", null, List.of("x"), List.of("A=1"), Map.of(), false, host);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.containers.put(ID, reported);

        assertThat(new OwnContainer(procSelf).inspectWith(runtime, List.of("other"))).contains(reported);
    }
}
