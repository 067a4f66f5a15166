package dev.waitdaemon.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.waitdaemon.ExitCode;
import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.Phase;
import dev.waitdaemon.runtime.ContainerStatus;

/**
 * One run of waitdaemon on this engine, told from the labels its containers carry: the action it
 * descends from, its clone and its target (either may be gone), and, with no target, why.
 */
public record RunStatus(String actionId, String image, Optional<ContainerStatus> cloneContainer, Optional<ContainerStatus> target) {

    /** The runs among labelled containers, newest first (by the clone's creation, else the target's). */
    public static List<RunStatus> of(List<ContainerStatus> labelled) {
        Map<String, List<ContainerStatus>> byAction = new LinkedHashMap<>();
        for (ContainerStatus container : labelled) {
            byAction.computeIfAbsent(container.label(Contract.ACTION_LABEL), id -> new ArrayList<>()).add(container);
        }
        List<RunStatus> runs = new ArrayList<>();
        byAction.forEach((actionId, containers) -> {
            Optional<ContainerStatus> clone = newest(containers, Phase.CLONE.label());
            Optional<ContainerStatus> target = newest(containers, Contract.PHASE_LABEL_TARGET);
            String image = clone.or(() -> target).map(container -> container.label(Contract.IMAGE_LABEL))
                .filter(label -> !label.isEmpty()).orElse(target.map(ContainerStatus::image).orElse(""));
            runs.add(new RunStatus(actionId, image, clone, target));
        });
        runs.sort(Comparator.comparing(RunStatus::created).reversed());
        return runs;
    }

    private static Optional<ContainerStatus> newest(List<ContainerStatus> containers, String phase) {
        return containers.stream().filter(container -> container.label(Contract.PHASE_LABEL).equals(phase))
            .max(Comparator.comparing(container -> container.created().orElse(Instant.EPOCH)));
    }

    /** When the run began: its clone's creation, else its target's. */
    public Instant created() {
        return cloneContainer.or(() -> target).flatMap(ContainerStatus::created).orElse(Instant.EPOCH);
    }

    /** The target's state in words: its own, or why there is none, from what became of the clone. */
    public String targetState() {
        if (target.isPresent()) {
            // The clone creates its target during the wait and starts it when it is due; on podman it initialises
            // it too, which podman's CLI shows as "initialized" (libpod's ContainerStateCreated; its Docker API
            // says "created"), podman v4.3.1 and v5.8.2 libpod/define/containerstate.go.
            boolean created = List.of("created", "configured", "initialized").contains(target.get().state());
            if (created && cloneContainer.map(ContainerStatus::running).orElse(false)) {
                return "not started yet: the clone is waiting (the target is created)";
            }
            return state(target.get());
        }
        if (cloneContainer.isEmpty()) {
            return "unknown: the clone is gone";
        }
        ContainerStatus waiting = cloneContainer.get();
        if (waiting.running()) {
            return "not started yet: the clone is waiting";
        }
        Optional<Integer> exit = waiting.exitCode();
        if (exit.isEmpty()) {
            return "not started: the clone never ran (" + waiting.state() + ")";
        }
        int code = exit.get();
        if (code == ExitCode.OK.code()) {
            return "started, since removed";
        }
        if (code == ExitCode.STOPPED_DURING_WAIT.code()) {
            return "not started: the clone was stopped during its wait";
        }
        if (code == ExitCode.CLONE_FAILED.code()) {
            return "not started: the clone could not start it (see the clone's log)";
        }
        return "not started: the clone ended with exit code " + code + " first";
    }

    /** An engine's state word, with the exit code once the container has finished. */
    static String state(ContainerStatus container) {
        return container.exitCode().map(code -> container.state() + " (" + code + ")").orElse(container.state());
    }
}
