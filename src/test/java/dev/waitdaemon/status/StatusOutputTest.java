package dev.waitdaemon.status;

import static dev.waitdaemon.status.StatusFixtures.cloneOf;
import static dev.waitdaemon.status.StatusFixtures.targetOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class StatusOutputTest {

    private static final String ACTION = "9c689dc8868a9bac6650a1e04359f94c36a4e8baf854a64b1bda390295c47aa1";
    private static final String CLONE = "113ce9fb627c01a859b6f43b2a8187e1a0b52bebcc8d18423b0f5f402e46ccc6";
    private final List<RunStatus> runs = RunStatus.of(List.of(
        cloneOf(CLONE, ACTION, 0, "exited", 0), targetOf("t1", ACTION, 10, "exited", 3),
        cloneOf("c2", "a2", 100, "exited", 4)));

    @Test
    void aTableOfAlignedColumnsWithShortIdsAndTimesToTheSecond() {
        assertThat(StatusOutput.table(runs)).containsExactly(
            "ACTION        IMAGE            CLONE         CLONE STATE  TARGET  TARGET STATE                                        CREATED               TARGET STARTED        TARGET FINISHED",
            "a2            local/reboot:v1  c2            exited (4)   -       not started: the clone was stopped during its wait  2026-11-25T10:01:40Z  -                     -",
            "9c689dc8868a  local/reboot:v1  113ce9fb627c  exited (0)   t1      exited (3)                                          2026-11-25T10:00:00Z  2026-11-25T10:00:11Z  2026-11-25T10:00:15Z");
    }

    @Test
    void anEmptyTableSaysSo() {
        assertThat(StatusOutput.table(List.of())).containsExactly("no waitdaemon runs on this engine");
    }

    @Test
    void jsonIsAnArrayOfRunsWithFullIdsAndNullsForWhatDoesNotExist() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode array = mapper.readTree(StatusOutput.json(runs, mapper));

        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        JsonNode stopped = array.get(0);
        assertThat(stopped.path("actionId").asText()).isEqualTo("a2");
        assertThat(stopped.path("target").isNull()).isTrue();
        assertThat(stopped.path("targetState").asText()).isEqualTo("not started: the clone was stopped during its wait");
        assertThat(stopped.at("/clone/exitCode").asInt()).isEqualTo(4);
        JsonNode finished = array.get(1);
        assertThat(finished.path("actionId").asText()).isEqualTo(ACTION);
        assertThat(finished.at("/clone/id").asText()).isEqualTo(CLONE);
        assertThat(finished.at("/target/exitCode").asInt()).isEqualTo(3);
        assertThat(finished.at("/target/startedAt").asText()).isEqualTo("2026-11-25T10:00:11.250Z");
        assertThat(finished.path("image").asText()).isEqualTo("local/reboot:v1");
        assertThat(StatusOutput.json(List.of(), mapper).replaceAll("\\s", "")).isEqualTo("[]");
    }
}
