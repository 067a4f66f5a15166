package dev.waitdaemon.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event as an RFC 5424 datagram, the way Smee's receiver parses it: {@code <PRI>1 TIMESTAMP HOSTNAME
 * waitdaemon PROCID MSGID - MSG}, the timestamp with at most microseconds (Smee's layout has six digits), no
 * structured data ("-": Smee takes nothing else), and the event's JSON as the message, which Smee logs as an
 * object because it starts with "{". Within {@link #LIMIT} bytes: the longest field is cut from its start
 * until it fits (a target's output keeps its last lines).
 */
final class SyslogMessage {

    static final int LIMIT = 8 * 1024;
    static final String APP_NAME = "waitdaemon";
    /** Facility daemon, as Docker's syslog log driver sends an action's output. */
    private static final int FACILITY = 3;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
        .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyslogMessage() {
    }

    /** Syslog severities for the levels waitdaemon logs at. */
    static int severity(String level) {
        return switch (level) {
            case "FATAL" -> 2;
            case "ERROR", "SEVERE" -> 3;
            case "WARN", "WARNING" -> 4;
            case "INFO" -> 6;
            default -> 7;
        };
    }

    /** The datagram for {@code event} (its "level" decides the severity), at most {@link #LIMIT} bytes. */
    static byte[] datagram(Instant time, String hostname, long pid, String msgid, ObjectNode event) {
        String header = "<" + (FACILITY * 8 + severity(event.path("level").asText())) + ">1 " + TIMESTAMP.format(time) + " "
            + hostname + " " + APP_NAME + " " + pid + " " + msgid + " - ";
        ObjectNode message = event.deepCopy();
        while (true) {
            byte[] bytes = (header + write(message)).getBytes(StandardCharsets.UTF_8);
            if (bytes.length <= LIMIT || !shortenLongest(message, bytes.length - LIMIT)) {
                return bytes.length <= LIMIT ? bytes : java.util.Arrays.copyOf(bytes, LIMIT);
            }
        }
    }

    /** Cuts {@code excess} bytes from the start of the longest text in {@code node}; false if none is left to cut. */
    private static boolean shortenLongest(ObjectNode node, int excess) {
        ObjectNode holder = null;
        String field = null;
        int longest = 0;
        for (ObjectNode candidate : new ObjectNode[] {node, node.path("mdc").isObject() ? (ObjectNode) node.get("mdc") : null}) {
            if (candidate == null) {
                continue;
            }
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = candidate.fields(); it.hasNext();) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> entry = it.next();
                if (entry.getValue().isTextual() && entry.getValue().asText().length() > longest) {
                    holder = candidate;
                    field = entry.getKey();
                    longest = entry.getValue().asText().length();
                }
            }
        }
        if (holder == null || longest <= 1) {
            return false;
        }
        String text = holder.get(field).asText();
        // The tail that is {@code excess} bytes shorter (and the ellipsis's three), by its UTF-8 length; what JSON
        // escapes in it (line breaks) costs more, and the caller tries again.
        int budget = text.getBytes(StandardCharsets.UTF_8).length - excess - 3;
        int start = text.length();
        int bytes = 0;
        while (start > 0) {
            int codePoint = text.codePointBefore(start);
            int width = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + width > budget) {
                break;
            }
            bytes += width;
            start -= Character.charCount(codePoint);
        }
        if (start == 0) {
            start = Math.min(text.length(), 1);
        }
        holder.put(field, "…" + text.substring(start));
        return true;
    }

    private static String write(ObjectNode message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of text always writes", e);
        }
    }
}
