package dev.waitdaemon.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class EngineTimesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsInspectTimesAndTreatsGosZeroTimeAsNothing() {
        assertThat(EngineTimes.parse("2026-11-25T16:26:10.304795977Z")).contains(Instant.parse("2026-11-25T16:26:10.304795977Z"));
        assertThat(EngineTimes.parse("0001-01-01T00:00:00Z")).isEmpty();
        assertThat(EngineTimes.parse("")).isEmpty();
        assertThat(EngineTimes.parse(null)).isEmpty();
        assertThat(EngineTimes.parse("yesterday")).isEmpty();
    }

    @Test
    void readsTheTimeOfDockersAndPodmansEvents() throws Exception {
        // dockerd's API and docker's CLI ({{json .}}), as printed here
        assertThat(EngineTimes.ofEvent(json.readTree(
            "{\"status\":\"die\",\"id\":\"f16c\",\"time\":1795623968,\"timeNano\":1795623968894510305}")))
            .contains(Instant.ofEpochSecond(1795623968, 894510305));
        // podman's CLI (--format json)
        assertThat(EngineTimes.ofEvent(json.readTree(
            "{\"ID\":\"626e\",\"Status\":\"died\",\"Time\":\"2026-11-25T16:26:42.317937787Z\",\"Type\":\"container\"}")))
            .contains(Instant.parse("2026-11-25T16:26:42.317937787Z"));
        assertThat(EngineTimes.ofEvent(json.readTree("{\"status\":\"die\",\"time\":1795623968}")))
            .contains(Instant.ofEpochSecond(1795623968));
        assertThat(EngineTimes.ofEvent(json.readTree("{\"status\":\"die\"}"))).isEmpty();
    }
}
