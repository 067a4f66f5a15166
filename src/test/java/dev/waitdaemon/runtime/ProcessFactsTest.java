package dev.waitdaemon.runtime;

import static dev.waitdaemon.runtime.OwnContainerTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

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

    @Test
    void oneNsPidEntryMeansTheHostsPidNamespace() {
        assertThat(ProcessFacts.inHostPidNamespace("Name:\tjava\nNSpid:\t4242\n")).isTrue();
        assertThat(ProcessFacts.inHostPidNamespace("NSpid:\t4242\t1\n")).isFalse();
    }
}
