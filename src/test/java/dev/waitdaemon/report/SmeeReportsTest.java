package dev.waitdaemon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.SyslogChoice;
import dev.waitdaemon.support.EventLog;

/** The clone's events on a real UDP socket of this machine's loopback, standing in for Smee's receiver. */
class SmeeReportsTest {

    private static final KernelCommandLine MACHINE = KernelCommandLine.parse("hw_addr=52:54:00:12:34:56 worker_id=52:54:00:12:34:56");

    private final EventLog log = new EventLog();
    private final SmeeReports reports = new SmeeReports();
    private DatagramSocket smee;

    @BeforeEach
    void listen() throws Exception {
        smee = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        log.context("phase", "clone");
    }

    @AfterEach
    void stop() {
        reports.close();
        smee.close();
        log.context("phase", null);
    }

    private SyslogChoice.Address smeeAddress() {
        return new SyslogChoice.Address("127.0.0.1", smee.getLocalPort());
    }

    /** The datagrams that arrive until none has for {@code quiet}. */
    private List<String> received(Duration quiet) throws Exception {
        List<String> datagrams = new ArrayList<>();
        smee.setSoTimeout((int) quiet.toMillis());
        byte[] buffer = new byte[SyslogMessage.LIMIT + 1];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                smee.receive(packet);
            } catch (SocketTimeoutException e) {
                return datagrams;
            }
            datagrams.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void eventsWaitForTheLogDriverThenGoOutInOrder() throws Exception {
        reports.start(smeeAddress(), MACHINE);
        log.info("runtime selected");
        log.info("waiting before starting the target", "waitSeconds", 3);

        reports.ownLogDriver("json-file");
        log.error("target exited", "exitCode", 3, "output", "kexec_load failed");
        reports.close();

        List<String> datagrams = received(Duration.ofSeconds(2));
        assertThat(datagrams).hasSize(3);
        assertThat(datagrams.get(0)).contains(" 52:54:00:12:34:56 waitdaemon ").contains("\"message\":\"runtime selected\"");
        assertThat(datagrams.get(1)).contains("\"waitSeconds\":\"3\"");
        assertThat(datagrams.get(2)).startsWith("<27>1 ").contains("\"exitCode\":\"3\"").contains("kexec_load failed")
            .contains("\"hwAddr\":\"52:54:00:12:34:56\"").contains("\"phase\":\"clone\"");
    }

    /** HookOS: Docker's syslog log driver already sends every line of the clone's output. */
    @Test
    void nothingIsSentTwiceWhereTheLogDriverIsSyslog() throws Exception {
        reports.start(smeeAddress(), MACHINE);
        log.info("runtime selected");

        reports.ownLogDriver("syslog");
        log.info("target started");
        reports.close();

        assertThat(received(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void aCloneThatFailsBeforeItKnowsItsLogDriverSendsItsFailure() throws Exception {
        reports.start(smeeAddress(), MACHINE);
        log.info("runtime selected");

        reports.sendWaiting();
        log.error("cannot find the clone's own container");
        reports.close();

        assertThat(received(Duration.ofSeconds(2))).hasSize(2);
    }

    @Test
    void offAndNoSyslogHostSendNothing() throws Exception {
        reports.start(new SyslogChoice.Off(), KernelCommandLine.parse("syslog_host=127.0.0.1:" + smee.getLocalPort()));
        reports.ownLogDriver("json-file");
        log.info("target started");
        reports.close();
        reports.start(new SyslogChoice.FromKernel(), KernelCommandLine.parse("console=ttyS0"));
        reports.ownLogDriver("json-file");
        log.info("target started");
        reports.close();

        assertThat(received(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void theKernelsSyslogHostIsUsedWhenNothingElseIsSet() throws Exception {
        reports.start(new SyslogChoice.FromKernel(), KernelCommandLine.parse("syslog_host=127.0.0.1:" + smee.getLocalPort()));
        reports.ownLogDriver("k8s-file");
        log.info("target started");
        reports.close();

        assertThat(received(Duration.ofSeconds(2))).singleElement().asString().contains("\"message\":\"target started\"");
    }

    /** A host that does not resolve: the clone goes on at once, every call returns at once, and nothing is thrown. */
    @Test
    void anUnresolvableHostNeverHoldsTheCloneUp() {
        reports.start(new SyslogChoice.Address("smee.invalid", 514), MACHINE);
        reports.ownLogDriver("json-file");
        Instant before = Instant.now();
        for (int i = 0; i < 1000; i++) {
            log.info("waiting before starting the target");
        }
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(2));
        reports.close();
    }
}
