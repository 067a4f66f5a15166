package dev.waitdaemon.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.waitdaemon.runtime.ContainerStatus;

/** {@code status} output: a table for people, a JSON array for machines. */
public final class StatusOutput {

    private static final int SHORT_ID = 12;
    private static final String NONE = "-";
    private static final List<String> HEADER = List.of("ACTION", "IMAGE", "CLONE", "CLONE STATE", "TARGET", "TARGET STATE",
        "CREATED", "TARGET STARTED", "TARGET FINISHED");

    private StatusOutput() {
    }

    /** Aligned columns, short ids, UTC times to the second; a line saying so when there is no run. */
    public static List<String> table(List<RunStatus> runs) {
        if (runs.isEmpty()) {
            return List.of("no waitdaemon runs on this engine");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (RunStatus run : runs) {
            rows.add(List.of(shortId(run.actionId()), run.image().isEmpty() ? NONE : run.image(),
                run.cloneContainer().map(ContainerStatus::id).map(StatusOutput::shortId).orElse(NONE),
                run.cloneContainer().map(RunStatus::state).orElse("gone"),
                run.target().map(ContainerStatus::id).map(StatusOutput::shortId).orElse(NONE),
                run.targetState(), time(Optional.of(run.created()).filter(created -> created.isAfter(Instant.EPOCH))),
                time(run.target().flatMap(ContainerStatus::startedAt)), time(run.target().flatMap(ContainerStatus::finishedAt))));
        }
        int[] widths = new int[HEADER.size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** A JSON array, one object per run: full ids, RFC 3339 times, null for what does not exist. */
    public static String json(List<RunStatus> runs, ObjectMapper mapper) {
        ArrayNode array = mapper.createArrayNode();
        for (RunStatus run : runs) {
            ObjectNode node = array.addObject();
            node.put("actionId", run.actionId());
            node.put("image", run.image());
            node.put("created", run.created().isAfter(Instant.EPOCH) ? run.created().toString() : null);
            container(node, "clone", run.cloneContainer());
            container(node, "target", run.target());
            node.put("targetState", run.targetState());
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void container(ObjectNode parent, String name, Optional<ContainerStatus> container) {
        if (container.isEmpty()) {
            parent.putNull(name);
            return;
        }
        ContainerStatus status = container.get();
        ObjectNode node = parent.putObject(name);
        node.put("id", status.id());
        node.put("state", status.state());
        if (status.exitCode().isPresent()) {
            node.put("exitCode", status.exitCode().get());
        } else {
            node.putNull("exitCode");
        }
        node.put("created", status.created().map(Instant::toString).orElse(null));
        node.put("startedAt", status.startedAt().map(Instant::toString).orElse(null));
        node.put("finishedAt", status.finishedAt().map(Instant::toString).orElse(null));
    }

    private static String shortId(String id) {
        return id.length() > SHORT_ID ? id.substring(0, SHORT_ID) : id.isEmpty() ? NONE : id;
    }

    private static String time(Optional<Instant> time) {
        return time.map(instant -> instant.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(NONE);
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
