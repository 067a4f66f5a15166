package dev.waitdaemon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SyslogMessageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant TIME = Instant.parse("2026-12-07T06:29:09.123456789Z");

    private static ObjectNode event(String level, String output) {
        ObjectNode event = JSON.createObjectNode();
        event.put("timestamp", TIME.toString());
        event.put("level", level);
        event.put("message", "target exited");
        ObjectNode mdc = event.putObject("mdc");
        mdc.put("phase", "clone");
        mdc.put("exitCode", "3");
        mdc.put("output", output);
        return event;
    }

    /**
     * The header Smee's receiver parses (tinkerbell/smee internal/syslog/message.go): version 1, a timestamp of at
     * most six fractional digits, a NILVALUE for structured data, then the message; daemon facility, error severity.
     */
    @Test
    void isAnRfc5424DatagramSmeeParses() throws Exception {
        String datagram = new String(SyslogMessage.datagram(TIME, "52:54:00:12:34:56", 42, "clone", event("ERROR", "kexec failed")),
            StandardCharsets.UTF_8);

        assertThat(datagram).startsWith("<27>1 2026-12-07T06:29:09.123456Z 52:54:00:12:34:56 waitdaemon 42 clone - {");
        JsonNode message = JSON.readTree(datagram.substring(datagram.indexOf(" - ") + 3));
        assertThat(message.path("message").asText()).isEqualTo("target exited");
        assertThat(message.at("/mdc/output").asText()).isEqualTo("kexec failed");
    }

    @Test
    void severitiesFollowTheLevels() {
        assertThat(SyslogMessage.severity("INFO")).isEqualTo(6);
        assertThat(SyslogMessage.severity("WARN")).isEqualTo(4);
        assertThat(SyslogMessage.severity("ERROR")).isEqualTo(3);
    }

    /** A console's worth of output is cut from its start, in characters of any width, until the datagram fits. */
    @Test
    void aLongOutputKeepsItsEndWithinTheLimit() throws Exception {
        String output = "first line\n" + "ü→✓ ".repeat(5000) + "\nthe last line";

        byte[] datagram = SyslogMessage.datagram(TIME, "-", 42, "clone", event("ERROR", output));

        assertThat(datagram.length).isLessThanOrEqualTo(SyslogMessage.LIMIT);
        String text = new String(datagram, StandardCharsets.UTF_8);
        JsonNode message = JSON.readTree(text.substring(text.indexOf(" - {") + 3));
        assertThat(message.at("/mdc/output").asText()).startsWith("…").endsWith("\nthe last line").doesNotContain("first line");
        assertThat(message.at("/mdc/exitCode").asText()).isEqualTo("3");
    }
}
