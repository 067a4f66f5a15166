package dev.waitdaemon.runtime;

import static dev.waitdaemon.runtime.OwnContainerTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What /proc/self/status says of privileges and the pid namespace; OwnContainerTest uses it on fake /procs. */
class ProcessFactsTest {

    private static final Optional<Long> KERNEL_40 = Optional.of(0x1ffffffffffL);
    /** A host that withholds CAP_SYS_RESOURCE from every container, privileged ones included (this sandbox). */
    private static final Optional<Long> HOST_WITHOUT_SYS_RESOURCE = Optional.of(0x1fffeffffffL);

    @Test
    void privilegedMeansEveryCapabilityTheHostCanGrantAndNoSeccompFilter() {
        assertThat(ProcessFacts.looksPrivileged(status("000001ffffffffff", 0), KERNEL_40)).isTrue();
        assertThat(ProcessFacts.looksPrivileged(status("000001fffeffffff", 0), HOST_WITHOUT_SYS_RESOURCE)).isTrue();
        // --cap-add ALL: every capability, but the engine's seccomp profile stays
        assertThat(ProcessFacts.looksPrivileged(status("000001ffffffffff", 2), KERNEL_40)).isFalse();
        // --cap-drop ALL --cap-add SYS_ADMIN: effective equals bounding, yet far from privileged
        assertThat(ProcessFacts.looksPrivileged(status("0000000000200000", 0), KERNEL_40)).isFalse();
        // docker's default set
        assertThat(ProcessFacts.looksPrivileged(status("00000000a80425fb", 2), KERNEL_40)).isFalse();
        // less than the host could grant
        assertThat(ProcessFacts.looksPrivileged(status("000001fffeffffff", 0), KERNEL_40)).isFalse();
        // nothing known of what the host can grant tells nothing
        assertThat(ProcessFacts.looksPrivileged(status("000001ffffffffff", 0), Optional.empty())).isFalse();
        assertThat(ProcessFacts.looksPrivileged("", KERNEL_40)).isFalse();
    }

    @Test
    void theEffectiveCapabilitiesAreNamedAsTheEnginesTakeThem() {
        assertThat(ProcessFacts.effectiveCapabilities(status("0000000000200000", 0))).containsExactly("SYS_ADMIN");
        assertThat(ProcessFacts.effectiveCapabilities(status("00000000a80425fb", 2))).containsExactly("CHOWN",
            "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE", "NET_RAW",
            "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP");
    }

    /**
     * The shapes dockerd 20.10 and podman 4.3 showed (busybox, {@code docker run [--pid host|--pid
     * container:x] … sh} walking /proc/N/status and reading /proc/1/ns/mnt and /proc/1/cgroup): NSpid has one
     * entry in every case, so it tells nothing.
     */
    @Test
    void theHostsPidNamespaceIsPidOneOutsideThisContainerAndAnAncestorOfThisProcess(@TempDir Path proc) throws Exception {
        Path self = Files.createDirectories(proc.resolve("self"));
        ProcessFacts facts = new ProcessFacts(self);

        // --pid host: the chain reaches 1 through the shim, and PID 1 is in another mount namespace
        OwnContainerTest.inHostPidNamespace(proc, self, "");
        assertThat(facts.inHostPidNamespace(facts.status())).isTrue();

        // PID 1's mount namespace unreadable (no CAP_SYS_PTRACE): its cgroup differs from this one's
        Files.delete(proc.resolve("1/ns/mnt"));
        Files.writeString(self.resolve("cgroup"), "0::/docker/" + "a".repeat(64) + "\n");
        Files.writeString(proc.resolve("1/cgroup"), "0::/\n");
        assertThat(facts.inHostPidNamespace(facts.status())).isTrue();
        Files.writeString(proc.resolve("1/cgroup"), "0::/docker/" + "a".repeat(64) + "\n");
        assertThat(facts.inHostPidNamespace(facts.status())).as("PID 1 in this container's cgroup").isFalse();

        // the container's own pid namespace: "NSpid: 7", its parent is PID 1, which shares its mount namespace
        Files.writeString(self.resolve("status"), "Pid:\t7\nPPid:\t1\nNSpid:\t7\n");
        link(self, "mnt", "mnt:[4026532177]");
        link(proc.resolve("1"), "mnt", "mnt:[4026532177]");
        assertThat(facts.inHostPidNamespace(facts.status())).isFalse();

        // no container at all (a shell on the host): PID 1 beside it is the host's init
        Files.delete(self.resolve("cgroup"));
        assertThat(facts.inHostPidNamespace(facts.status())).as("outside any container").isTrue();
        Files.writeString(self.resolve("mountinfo"), "1 0 0:1 / / rw - overlay overlay rw,upperdir=/var/lib/docker/overlay2/x/diff\n");
        assertThat(facts.inHostPidNamespace(facts.status())).as("an overlay root is a container's").isFalse();

        // this process is the container's PID 1
        Files.writeString(self.resolve("status"), "Pid:\t1\nPPid:\t0\nNSpid:\t1\n");
        assertThat(facts.inHostPidNamespace(facts.status())).isFalse();

        // --pid container:x: PID 1 is x's (another mount namespace), but this chain ends at a parent outside (6 -> 0)
        Files.writeString(self.resolve("status"), "Pid:\t6\nPPid:\t0\nNSpid:\t6\n");
        link(proc.resolve("1"), "mnt", "mnt:[4026532178]");
        assertThat(facts.inHostPidNamespace(facts.status())).isFalse();
        Files.writeString(self.resolve("status"), "Pid:\t13\nPPid:\t6\nNSpid:\t13\n");
        Files.writeString(Files.createDirectories(proc.resolve("6")).resolve("status"), "Pid:\t6\nPPid:\t0\n");
        assertThat(facts.inHostPidNamespace(facts.status())).isFalse();

        // nothing readable
        assertThat(new ProcessFacts(proc.resolve("nothing")).inHostPidNamespace("")).isFalse();
    }

    private static void link(Path process, String namespace, String target) throws Exception {
        Path link = Files.createDirectories(process.resolve("ns")).resolve(namespace);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(target));
    }
}
