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

    private static final String OWN_LAYER = "/var/lib/docker/overlay2/f1cdf471b6d82130fd85819e23248a38ec56821af12480163a44b6ca5cecf916/diff";
    private static final String OTHER_LAYER = "/var/lib/docker/overlay2/963a358b2e49dc7cab9c60c5ceda0db0456804a4eecfcb40c213d303c2e939d2/diff";

    /**
     * dockerd 20.10's mount table inside {@code docker run --network container:x}: the root overlay is the
     * container's own (its GraphDriver.Data.UpperDir), while hostname, hosts and resolv.conf are x's.
     */
    private static final String NETWORK_OF_OTHER_MOUNTINFO = String.join("\n",
        "114 65 0:51 / / rw,relatime master:4 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/RIUDPNKKCMGP3JV4WRMIPXHGZW:"
            + "/var/lib/docker/overlay2/l/HWPVF5VRNBMFID3XZ4I6V33L7M,upperdir=" + OWN_LAYER + ",workdir="
            + "/var/lib/docker/overlay2/f1cdf471b6d82130fd85819e23248a38ec56821af12480163a44b6ca5cecf916/work",
        "115 114 0:54 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
        "131 114 254:0 /var/lib/docker/containers/" + OTHER + "/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw",
        "132 114 254:0 /var/lib/docker/containers/" + OTHER + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw",
        "133 114 254:0 /var/lib/docker/containers/" + OTHER + "/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw");

    /** podman 4.3's, for a container in a pod: hosts and resolv.conf are the infra container's, listed first. */
    private static final String POD_MOUNTINFO = String.join("\n",
        "82 54 0:41 / / rw,relatime - overlay overlay rw,lowerdir=/var/lib/containers/storage/overlay/l/TNLTMGTOME4CQM5ROUDXSB6MI7,"
            + "upperdir=/var/lib/containers/storage/overlay/b98c414ad2b80e94f0d7067d5e0870050660d4a03424e678f3edc3edba958102/diff,"
            + "workdir=/var/lib/containers/storage/overlay/b98c414ad2b80e94f0d7067d5e0870050660d4a03424e678f3edc3edba958102/work,uuid=on",
        "129 120 254:0 /run/containers/storage/overlay-containers/" + OTHER + "/userdata/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw",
        "130 120 254:0 /run/containers/storage/overlay-containers/" + OTHER + "/userdata/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw",
        "128 120 254:0 /run/containers/storage/overlay-containers/" + ID + "/userdata/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw");

    @Test
    void theHostnameMountNamesTheContainerBeforeHostsAndResolvConfOfAPodsInfraContainer() {
        assertThat(OwnContainer.fromMountinfo(POD_MOUNTINFO)).contains(ID);
    }

    @Test
    void theWritableLayerIsTheRootOverlaysUpperDirectory() {
        assertThat(OwnContainer.writableLayer(NETWORK_OF_OTHER_MOUNTINFO)).contains(OWN_LAYER);
        assertThat(OwnContainer.writableLayer(POD_MOUNTINFO))
            .contains("/var/lib/containers/storage/overlay/b98c414ad2b80e94f0d7067d5e0870050660d4a03424e678f3edc3edba958102/diff");
        assertThat(OwnContainer.writableLayer("1 0 0:1 / / rw - ext4 /dev/vda rw\n")).isEmpty();
        assertThat(OwnContainer.writableLayer(PODMAN_MOUNTINFO)).isEmpty();
    }

    private static ContainerInfo withLayer(String id, String layer, List<String> cmd) {
        HostSettings host = new HostSettings(true, "host", null, null, null, null, null, null, null, null, null);
        return new ContainerInfo(id, "img", null, cmd, List.of("A=1"), Map.of(), false, host, Set.of(),
            InheritedSettings.none(), layer);
    }

    /** --network container:x, no pid: host: the container the mount table names is x, which is never taken. */
    @Test
    void aContainerThatLentItsFilesIsNotTakenForThisOneWhichIsFoundByItsWritableLayer(@TempDir Path procSelf) throws Exception {
        Files.writeString(procSelf.resolve("mountinfo"), NETWORK_OF_OTHER_MOUNTINFO);
        Files.writeString(procSelf.resolve("status"), "Pid:\t1\nPPid:\t0\nNSpid:\t1\n");
        RecordingRuntime runtime = new RecordingRuntime("fake");
        ContainerInfo lender = withLayer(OTHER, OTHER_LAYER, List.of("sleep", "600"));
        ContainerInfo ours = withLayer(ID, OWN_LAYER, List.of("reboot"));
        runtime.containers.put(OTHER, lender);
        runtime.containers.put(ID, ours);
        runtime.statuses.add(runningWithInit(OTHER, 900));
        runtime.statuses.add(runningWithInit(ID, 950));

        assertThat(new OwnContainer(procSelf).inspectWith(runtime, List.of())).contains(ours);

        runtime.statuses.removeIf(status -> status.id().equals(ID));
        assertThat(new OwnContainer(procSelf).inspectWith(runtime, List.of())).as("not found is not x").isEmpty();
    }

    @Test
    void aContainerWhoseWritableLayerIsThisOnesIsTakenWithoutAskingForMore(@TempDir Path procSelf) throws Exception {
        Files.writeString(procSelf.resolve("mountinfo"), NETWORK_OF_OTHER_MOUNTINFO.replace(OTHER, ID));
        RecordingRuntime runtime = new RecordingRuntime("fake");
        ContainerInfo ours = withLayer(ID, OWN_LAYER, List.of("reboot"));
        runtime.containers.put(ID, ours);

        assertThat(new OwnContainer(procSelf).inspectWith(runtime, List.of())).contains(ours);
        assertThat(runtime.calls).doesNotContain("running");
    }

    /** /proc/self/status lines as the kernel writes them, for a kernel whose last capability is 40. */
    static String status(String capEff, int seccomp) {
        return "CapEff:\t" + capEff + "\nCapBnd:\t" + capEff + "\nSeccomp:\t" + seccomp + "\n";
    }

    @Test
    void withPidHostTheHostInitsBoundingSetIsWhatPrivilegedMeans(@TempDir Path proc) throws Exception {
        Path self = Files.createDirectories(proc.resolve("self"));
        Files.writeString(Files.createDirectories(proc.resolve("sys/kernel")).resolve("cap_last_cap"), "40\n");
        Files.writeString(Files.createDirectories(proc.resolve("1")).resolve("status"), "CapBnd:\t000001fffeffffff\n");
        Files.writeString(self.resolve("mountinfo"), DOCKER_MOUNTINFO);
        inHostPidNamespace(proc, self, status("000001fffeffffff", 0));
        RecordingRuntime runtime = new RecordingRuntime("fake");
        // in the host's pid namespace the mount table's id is confirmed by its init, an ancestor
        runtime.statuses.add(runningWithInit(ID, 4100));
        runtime.containers.put(ID, new ContainerInfo(ID, "img", null, List.of("x"), List.of("A=1"), Map.of(), false,
            new HostSettings(false, null, null, null, null, null, null, null, null, null, null),
            Set.of(ContainerInfo.Unreported.PRIVILEGED)));

        assertThat(new OwnContainer(self).inspectWith(runtime, List.of()).orElseThrow().host().privileged()).isTrue();
    }

    @Test
    void anUnreportedPrivilegeThatIsNotAllOfThemIsPassedAsTheCapabilitiesFoundNeverWidened(@TempDir Path proc)
        throws Exception {
        Path self = Files.createDirectories(proc.resolve("self"));
        Files.writeString(Files.createDirectories(proc.resolve("sys/kernel")).resolve("cap_last_cap"), "40\n");
        Files.writeString(self.resolve("mountinfo"), DOCKER_MOUNTINFO);
        Files.writeString(self.resolve("status"), "NSpid:\t4242\n" + status("0000000000200000", 0));
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.containers.put(ID, new ContainerInfo(ID, "img", null, List.of("x"), List.of("A=1"), Map.of(), false,
            new HostSettings(false, null, null, null, null, null, null, null, null, null, null),
            Set.of(ContainerInfo.Unreported.PRIVILEGED)));

        HostSettings completed = new OwnContainer(self).inspectWith(runtime, List.of()).orElseThrow().host();

        assertThat(completed.privileged()).isFalse();
        assertThat(completed.capDrop()).containsExactly("ALL");
        assertThat(completed.capAdd()).containsExactly("SYS_ADMIN");
    }

    @Test
    void withHostPidAContainerNamedByTheCgroupIsOursOnlyIfItsInitIsAnAncestor(@TempDir Path proc) throws Exception {
        Path self = captainOsProc(proc);
        // the cgroup names another container (a parent's, say): its init is no ancestor of this process
        Files.writeString(self.resolve("cgroup"), "0::/system.slice/docker-" + OTHER + ".scope\n");
        HostSettings host = new HostSettings(true, "host", "host", null, null, null, null, null, null, null, null);
        ContainerInfo other = new ContainerInfo(OTHER, "img", null, List.of("x"), List.of("A=1"), Map.of(), false, host);
        ContainerInfo ours = new ContainerInfo(ID, "img", null, List.of("reboot"), List.of("A=1"), Map.of(), false, host);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.containers.put(OTHER, other);
        runtime.containers.put(ID, ours);
        runtime.statuses.add(runningWithInit(OTHER, 999));
        runtime.statuses.add(runningWithInit(ID, 4200));

        assertThat(new OwnContainer(self).inspectWith(runtime, List.of())).contains(ours);

        Files.writeString(self.resolve("cgroup"), "0::/system.slice/docker-" + ID + ".scope\n");
        assertThat(new OwnContainer(self).inspectWith(runtime, List.of())).as("found by the cgroup, and confirmed").contains(ours);
    }

    @Test
    void withoutHostPidANameTheEngineMatchedIsNeverTakenForTheId(@TempDir Path procSelf) throws Exception {
        Files.writeString(procSelf.resolve("cgroup"), "12:pids:/docker/" + OTHER + "\n");
        Files.writeString(procSelf.resolve("status"), "Pid:\t7\nPPid:\t1\nNSpid:\t4242\t7\n");
        HostSettings host = new HostSettings(true, null, null, null, null, null, null, null, null, null, null);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        // asked for OTHER's id, the engine answers with a container whose id is something else (a name match)
        runtime.containers.put(OTHER, new ContainerInfo(ID, "img", null, List.of("x"), List.of(), Map.of(), false, host));

        assertThat(new OwnContainer(procSelf).inspectWith(runtime, List.of())).isEmpty();

        runtime.containers.put(OTHER, new ContainerInfo(OTHER, "img", null, List.of("x"), List.of(), Map.of(), false, host));
        assertThat(new OwnContainer(procSelf).inspectWith(runtime, List.of())).isPresent();
    }

    @Test
    void fillsWhatTheEngineLeftUnreportedFromTheProcess(@TempDir Path proc) throws Exception {
        Path procSelf = Files.createDirectories(proc.resolve("self"));
        Files.writeString(Files.createDirectories(proc.resolve("sys/kernel")).resolve("cap_last_cap"), "40\n");
        Files.writeString(procSelf.resolve("mountinfo"), DOCKER_MOUNTINFO);
        inHostPidNamespace(proc, procSelf, status("000001ffffffffff", 0));
        HostSettings nothing = new HostSettings(false, null, null, null, "host", List.of("/a:/a"), null, null, null, null, null);
        ContainerInfo reported = new ContainerInfo(ID, "img", null, null, null, Map.of(), false, nothing,
            Set.of(ContainerInfo.Unreported.ENV, ContainerInfo.Unreported.COMMAND, ContainerInfo.Unreported.PRIVILEGED,
                ContainerInfo.Unreported.PID_MODE));
        RecordingRuntime runtime = new RecordingRuntime("fake");
        // in the host's pid namespace the mount table's id is confirmed by its init, an ancestor
        runtime.statuses.add(runningWithInit(ID, 4100));
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

    @Test
    void theSameEngineIsAskedOnceAndEachCallerGetsItsOwnCommand(@TempDir Path procSelf) throws Exception {
        // auto-detection on containerd asks whether this action is in the namespace; the phase asks again
        Files.writeString(procSelf.resolve("mountinfo"), DOCKER_MOUNTINFO);
        HostSettings host = new HostSettings(true, "host", null, null, null, null, null, null, null, null, null);
        ContainerInfo reported = new ContainerInfo(ID, "img", null, null, List.of("A=1"), Map.of(), false, host,
            Set.of(ContainerInfo.Unreported.COMMAND));
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.containers.put(ID, reported);
        OwnContainer own = new OwnContainer(procSelf);

        assertThat(own.inspectWith(runtime, List.of())).isPresent();
        assertThat(own.inspectWith(runtime, List.of("reboot", "-f")).orElseThrow().cmd()).containsExactly("reboot", "-f");
        assertThat(runtime.calls).filteredOn(call -> call.startsWith("inspectContainer")).hasSize(1);

        RecordingRuntime another = new RecordingRuntime("another");
        another.containers.put(ID, reported);
        assertThat(own.inspectWith(another, List.of())).isPresent();
        assertThat(another.calls).as("another engine is asked itself").contains("inspectContainer " + ID);
    }

    @Test
    void notFoundIsAskedAgain(@TempDir Path procSelf) throws Exception {
        Files.writeString(procSelf.resolve("mountinfo"), DOCKER_MOUNTINFO);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        OwnContainer own = new OwnContainer(procSelf);

        assertThat(own.inspectWith(runtime, List.of())).isEmpty();
        runtime.containers.put(ID, new ContainerInfo(ID, "img", null, List.of("x"), List.of("A=1"), Map.of(), false,
            new HostSettings(true, "host", null, null, null, null, null, null, null, null, null)));
        assertThat(own.inspectWith(runtime, List.of())).isPresent();
    }

    /** What a CaptainOS action with host networking sees: the agent's tink-dns-* files, cgroup "0::/". */
    private static final String CAPTAINOS_MOUNTINFO = String.join("\n",
        "1034 970 0:118 / / rw,relatime - overlay overlay rw",
        "1043 1034 0:25 /tink-dns-2216731846/resolv.conf /etc/resolv.conf rw - tmpfs tmpfs rw",
        "1044 1034 0:25 /tink-dns-2216731846/hostname /etc/hostname rw - tmpfs tmpfs rw",
        "1045 1034 0:25 /tink-dns-2216731846/hosts /etc/hosts rw - tmpfs tmpfs rw");

    /** /proc with this process (pid 4242, in the host's pid namespace) under a shim-started init 4200. */
    private static Path captainOsProc(Path proc) throws Exception {
        Path self = Files.createDirectories(proc.resolve("self"));
        Files.writeString(self.resolve("mountinfo"), CAPTAINOS_MOUNTINFO);
        Files.writeString(self.resolve("cgroup"), "0::/\n");
        // PID 1's mount namespace is unreadable here; its cgroup, seen from this private cgroup namespace, is not
        Files.writeString(Files.createDirectories(proc.resolve("1")).resolve("cgroup"), "0::/../../..\n");
        Files.writeString(self.resolve("status"), "Name:\tjava\nPid:\t4242\nPPid:\t4200\nNSpid:\t4242\n");
        Files.writeString(Files.createDirectories(proc.resolve("4200")).resolve("status"),
            "Name:\tsh\nPid:\t4200\nPPid:\t4100\nNSpid:\t4200\n");
        Files.writeString(Files.createDirectories(proc.resolve("4100")).resolve("status"),
            "Name:\tcontainerd-shim\nPid:\t4100\nPPid:\t1\nNSpid:\t4100\n");
        return self;
    }

    private static ContainerStatus runningWithInit(String id, long pid) {
        return new ContainerStatus(id, "img", "running", pid, java.util.Optional.empty(), java.util.Optional.empty(),
            java.util.Optional.empty(), java.util.Optional.empty(), Map.of());
    }

    @Test
    void withHostPidTheContainerWhoseInitIsAnAncestorIsOursWhenNothingElseNamesIt(@TempDir Path proc) throws Exception {
        Path self = captainOsProc(proc);
        HostSettings host = new HostSettings(true, "host", "host", null, null, null, null, null, null, null, null);
        ContainerInfo reported = new ContainerInfo(ID, "img", null, List.of("reboot"), List.of("A=1"), Map.of(), false, host);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.containers.put(ID, reported);
        runtime.statuses.add(runningWithInit(OTHER, 999));
        runtime.statuses.add(runningWithInit(ID, 4200));
        // the shim is no container's init; a container whose init is the host's own is not ours either
        runtime.statuses.add(runningWithInit("host-init", 1));

        assertThat(new OwnContainer(self).inspectWith(runtime, List.of())).contains(reported);
        assertThat(new OwnContainer(self).triedSources()).endsWith("and the running containers' init processes");
    }

    @Test
    void theNearestAncestorWinsWhenContainersNest(@TempDir Path proc) throws Exception {
        Path self = captainOsProc(proc);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.statuses.add(runningWithInit(OTHER, 4100));
        runtime.statuses.add(runningWithInit(ID, 4242));

        assertThat(new OwnContainer(self).byInitProcess(runtime)).contains(ID);
    }

    @Test
    void withoutHostPidTheInitProcessesAreNotAsked(@TempDir Path procSelf) throws Exception {
        Files.writeString(procSelf.resolve("status"), "Pid:\t7\nPPid:\t1\nNSpid:\t4242\t7\n");
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.statuses.add(runningWithInit(ID, 4242));

        assertThat(new OwnContainer(procSelf).byInitProcess(runtime)).isEmpty();
        assertThat(runtime.calls).doesNotContain("running");
    }

    @Test
    void hostNetworkIsInferredOnlyWhenPidOneIsTheHostsInit(@TempDir Path proc) throws Exception {
        Path self = sharingWithPidOne(proc, "net");
        HostSettings unreported = new HostSettings(true, "host", null, null, null, null, null, null, null, null, null);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        // in the host's pid namespace the mount table's id is confirmed by its init, an ancestor
        runtime.statuses.add(runningWithInit(ID, 4100));
        runtime.containers.put(ID, new ContainerInfo(ID, "img", null, List.of("x"), List.of("A=1"), Map.of(), false,
            unreported, Set.of(ContainerInfo.Unreported.NETWORK_MODE)));

        // pid: host — PID 1 is the host's init, and sharing its network namespace means host networking
        inHostPidNamespace(proc, self, "");
        assertThat(new OwnContainer(self).inspectWith(runtime, List.of()).orElseThrow().host().networkMode()).isEqualTo("host");

        // a private pid namespace — PID 1 is waitdaemon's own container, so the same links say nothing
        Files.writeString(self.resolve("status"), "Pid:\t1\nNSpid:\t4242\t1\n");
        assertThat(new OwnContainer(self).inspectWith(runtime, List.of()).orElseThrow().host().networkMode()).isNull();
    }

    @Test
    void anIpcModeReportedAsShareableIsHostWhenTheProcessSharesTheHostInitsIpcNamespace(@TempDir Path proc) throws Exception {
        Path self = sharingWithPidOne(proc, "ipc");
        inHostPidNamespace(proc, self, "");
        HostSettings asPodmanSays = new HostSettings(true, "host", "host", "shareable", null, null, null, null, null, null, null);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        // in the host's pid namespace the mount table's id is confirmed by its init, an ancestor
        runtime.statuses.add(runningWithInit(ID, 4100));
        runtime.containers.put(ID, new ContainerInfo(ID, "img", null, List.of("x"), List.of("A=1"), Map.of(), false, asPodmanSays));

        assertThat(new OwnContainer(self).inspectWith(runtime, List.of()).orElseThrow().host().ipcMode()).isEqualTo("host");

        link(self, "ipc", "ipc:[4026532111]");
        assertThat(new OwnContainer(self).inspectWith(runtime, List.of()).orElseThrow().host().ipcMode()).isEqualTo("shareable");
    }

    @Test
    void wherePidOnesNamespacesCannotBeReadTheEnginesShimOutsideTheContainerStandsForTheHost(@TempDir Path proc) throws Exception {
        Path self = captainOsProc(proc);
        link(self, "mnt", "mnt:[1]");
        link(self, "ipc", "ipc:[9]");
        link(proc.resolve("4200"), "mnt", "mnt:[1]");
        link(proc.resolve("4200"), "ipc", "ipc:[9]");
        link(proc.resolve("4100"), "mnt", "mnt:[2]");
        link(proc.resolve("4100"), "ipc", "ipc:[9]");
        HostSettings asPodmanSays = new HostSettings(true, "host", "host", "shareable", null, null, null, null, null, null, null);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.containers.put(ID, new ContainerInfo(ID, "img", null, List.of("x"), List.of("A=1"), Map.of(), false, asPodmanSays));
        runtime.statuses.add(runningWithInit(ID, 4200));

        assertThat(new OwnContainer(self).inspectWith(runtime, List.of()).orElseThrow().host().ipcMode()).isEqualTo("host");

        link(proc.resolve("4100"), "ipc", "ipc:[7]");
        assertThat(new OwnContainer(self).inspectWith(runtime, List.of()).orElseThrow().host().ipcMode()).isEqualTo("shareable");
    }

    /**
     * This process (4242) in the host's pid namespace, as dockerd and podman showed it: its parent 4100 (the
     * shim) has PPid 1, and PID 1 is in another mount namespace. {@code status} follows the pid lines.
     */
    static void inHostPidNamespace(Path proc, Path self, String status) throws Exception {
        Files.writeString(self.resolve("status"), "Pid:\t4242\nPPid:\t4100\nNSpid:\t4242\n" + status);
        Files.writeString(Files.createDirectories(proc.resolve("4100")).resolve("status"), "Pid:\t4100\nPPid:\t1\nNSpid:\t4100\n");
        link(self, "mnt", "mnt:[4026532177]");
        link(proc.resolve("1"), "mnt", "mnt:[4026531841]");
    }

    /** A docker container's /proc/self that shares that namespace with PID 1. */
    private static Path sharingWithPidOne(Path proc, String namespace) throws Exception {
        Path self = Files.createDirectories(proc.resolve("self"));
        link(self, namespace, namespace + ":[4026531840]");
        link(proc.resolve("1"), namespace, namespace + ":[4026531840]");
        Files.writeString(self.resolve("mountinfo"), DOCKER_MOUNTINFO);
        return self;
    }

    private static void link(Path process, String namespace, String target) throws Exception {
        Path link = Files.createDirectories(process.resolve("ns")).resolve(namespace);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(target));
    }
}
