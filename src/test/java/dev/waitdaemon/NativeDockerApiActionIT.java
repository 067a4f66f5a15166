package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.support.TinkAgentEmulator;
import dev.waitdaemon.support.TinkAgentEmulator.Action;
import dev.waitdaemon.support.TinkAgentEmulator.Outcome;

/**
 * The native variant on dockerd's API: the whole contract, and logs that a reader of the JVM image's
 * logs can read unchanged.
 */
class NativeDockerApiActionIT extends DockerApiActionIT {

    private final ObjectMapper json = new ObjectMapper();

    @Override
    String image() {
        return WAITDAEMON_NATIVE;
    }

    @Test
    void logsTheSameEventsWithTheSameFieldsAsTheJvmImage() throws IOException {
        List<String> jvm = eventShapes(WAITDAEMON);
        List<String> nativeVariant = eventShapes(WAITDAEMON_NATIVE);

        assertThat(nativeVariant).isNotEmpty().isEqualTo(jvm);
    }

    /**
     * Each event of one run, the first fork's then the clone's, as its level, its fields and the MDC's,
     * and its message with ids and numbers masked.
     */
    private List<String> eventShapes(String image) throws IOException {
        Outcome action = new TinkAgentEmulator(engine(), image).run(reach(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0")));
        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(action.stderr()).as("the action's stderr").isEmpty();
        String cloneId = engine().labelled("waitdaemon.phase=clone", "waitdaemon.action=" + action.actionId()).get(0);
        engine().ok("wait", cloneId);
        List<JsonNode> events = new ArrayList<>();
        for (String line : action.stdout().split("\n")) {
            if (!line.isBlank()) {
                events.add(json.readTree(line));
            }
        }
        events.addAll(logEvents(cloneId));
        return events.stream().map(event -> event.path("level").asText() + " " + fieldNames(event) + " mdc "
            + fieldNames(event.path("mdc")) + " " + event.path("message").asText()
                .replaceAll("[0-9a-f]{12,64}", "<id>").replaceAll("[0-9]+", "<n>")).toList();
    }

    private static TreeSet<String> fieldNames(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
