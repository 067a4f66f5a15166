package dev.waitdaemon.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.SyslogChoice;

class KernelCommandLineTest {

    /** The parameters Smee's iPXE script gives HookOS (its README's list), among the kernel's own. */
    private static final String SMEE = "BOOT_IMAGE=/vmlinuz-6.12 console=tty0 console=ttyS0,115200 facility=onprem "
        + "syslog_host=10.0.2.2 grpc_authority=10.0.2.2:42113 tinkerbell_tls=false worker_id=52:54:00:12:34:56 "
        + "hw_addr=52:54:00:12:34:56 modules=loop,squashfs,sd-mod,usb-storage\n";

    @Test
    void readsWhatSmeeGivesTheKernel() {
        KernelCommandLine line = KernelCommandLine.parse(SMEE);

        assertThat(line.syslogAddress()).contains(new SyslogChoice.Address("10.0.2.2", 514));
        assertThat(line.workerId()).contains("52:54:00:12:34:56");
        assertThat(line.hwAddr()).contains("52:54:00:12:34:56");
        assertThat(line.machineName()).isEqualTo("52:54:00:12:34:56");
    }

    @ParameterizedTest
    @CsvSource({ "syslog_host=10.0.2.2:5140, 10.0.2.2, 5140", "syslog_host=smee.example, smee.example, 514",
        "syslog_host=[fd00::2]:1514, fd00::2, 1514", "syslog_host=fd00::2, fd00::2, 514", "'syslog_host=\"10.0.0.1\"', 10.0.0.1, 514" })
    void takesAnAddressWithOrWithoutAPort(String parameter, String host, int port) {
        assertThat(KernelCommandLine.parse("console=ttyS0 " + parameter).syslogAddress()).contains(new SyslogChoice.Address(host, port));
    }

    @Test
    void noSyslogHostMeansNoAddressAndAMachineWithoutIdsIsADash() {
        KernelCommandLine line = KernelCommandLine.parse("console=ttyS0 quiet");

        assertThat(line.syslogAddress()).isEmpty();
        assertThat(line.machineName()).isEqualTo("-");
        assertThat(KernelCommandLine.parse("worker_id=machine-7").machineName()).isEqualTo("machine-7");
    }

    @ParameterizedTest
    @CsvSource({ "syslog_host=10.0.2.2:99999", "syslog_host=10.0.2.2:smee", "syslog_host=:514", "syslog_host=[fd00::2" })
    void aValueThatIsNoAddressIsNamed(String parameter) {
        assertThatThrownBy(() -> KernelCommandLine.parse(parameter).syslogAddress())
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(parameter);
    }

    @Test
    void theLastOfARepeatedParameterCounts() {
        assertThat(KernelCommandLine.parse("syslog_host=10.0.0.1 syslog_host=10.0.0.2").syslogHost()).isEqualTo(Optional.of("10.0.0.2"));
    }
}
