package dev.waitdaemon.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.ScopedProblem;
import dev.waitdaemon.registry.RegistryCredentials;

/** An in-memory engine for logic tests: holds images and containers, records every call. */
public class RecordingRuntime implements ContainerRuntime {

    private final String name;
    public final Map<String, ImageInfo> images = new LinkedHashMap<>();
    public final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    public final Map<String, Boolean> running = new LinkedHashMap<>();
    /** What the engine says of a container's exit time; absent: it cannot tell. */
    public final Map<String, Instant> exitTimes = new LinkedHashMap<>();
    public final List<ContainerSpec> started = new ArrayList<>();
    /** Safe to read while another thread calls: the first fork looks up its own container aside. */
    public final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final List<ContainerSummary> listing = new ArrayList<>();
    public final List<String> removed = new ArrayList<>();
    public EngineException pullFailure;
    public EngineException startFailure;
    public EngineException createFailure;
    public EngineException prepareFailure;
    /** Containers made by {@link #create} and not started yet, by id. */
    public final Map<String, ContainerSpec> created = new LinkedHashMap<>();

    /** What a clone answers the first fork's readiness (containerd's); null: the engine has no such step. */
    public CloneReadiness.Answer readinessAnswer;

    /** Runs at every call, after it is recorded: a test's way to act at a given moment (a signal, say). */
    public java.util.function.Consumer<String> onCall = call -> { };

    public RecordingRuntime(String name) {
        this.name = name;
    }

    private void record(String call) {
        calls.add(call);
        onCall.accept(call);
    }

    @Override
    public String name() {
        return name;
    }

    /** Which kinds of settings this fake reads, as a CLI runtime would. */
    public final java.util.Set<ScopedProblem.ReadBy> reads = java.util.EnumSet.noneOf(ScopedProblem.ReadBy.class);

    @Override
    public boolean reads(ScopedProblem.ReadBy settings) {
        return reads.contains(settings);
    }

    @Override
    public Optional<ImageInfo> inspectImage(String image) {
        record("inspectImage " + image);
        return Optional.ofNullable(images.get(image));
    }

    @Override
    public void pull(ImageReference image, Optional<RegistryCredentials> credentials) {
        record("pull " + image + credentials.map(given -> " with " + given).orElse(""));
        if (pullFailure != null) {
            throw pullFailure;
        }
        images.put(image.canonical(), new ImageInfo("sha256:pulled", List.of()));
    }

    @Override
    public ContainerInfo inspectContainer(String id) {
        record("inspectContainer " + id);
        ContainerInfo info = containers.get(id);
        if (info == null) {
            throw new EngineException.NotFound("No such container: " + id);
        }
        return info;
    }

    @Override
    public Optional<CloneReadiness> cloneReadiness() {
        if (readinessAnswer == null) {
            return Optional.empty();
        }
        record("cloneReadiness");
        return Optional.of(new CloneReadiness() {
            @Override
            public Answer await(String cloneId, java.time.Duration limit) {
                record("awaitWatching " + cloneId);
                return readinessAnswer;
            }

            @Override
            public void close() {
                record("readiness closed");
            }
        });
    }

    @Override
    public String createAndStart(ContainerSpec spec) {
        record("createAndStart " + spec.image());
        if (startFailure != null) {
            throw startFailure;
        }
        started.add(spec);
        return "started-" + started.size();
    }

    @Override
    public String create(ContainerSpec spec) {
        record("create " + spec.image());
        if (createFailure != null) {
            throw createFailure;
        }
        String id = "created-" + (created.size() + 1);
        created.put(id, spec);
        return id;
    }

    @Override
    public void prepareStart(String id) {
        record("prepareStart " + id);
        if (prepareFailure != null) {
            throw prepareFailure;
        }
    }

    @Override
    public void startCreated(String id) {
        record("start " + id);
        if (startFailure != null) {
            throw startFailure;
        }
        started.add(created.get(id));
    }

    @Override
    public boolean isRunning(String id) {
        record("isRunning " + id);
        return running.getOrDefault(id, false);
    }

    @Override
    public Optional<Instant> exitedAt(String id) {
        record("exitedAt " + id);
        return Optional.ofNullable(exitTimes.get(id));
    }

    /** Exit codes of containers that have exited, and what they printed. */
    public final Map<String, Integer> exitCodes = new LinkedHashMap<>();
    public final Map<String, List<String>> outputs = new LinkedHashMap<>();

    @Override
    public Optional<Integer> exitCode(String id) {
        record("exitCode " + id);
        return Optional.ofNullable(exitCodes.get(id));
    }

    @Override
    public List<String> lastOutput(String id, int lines) {
        record("lastOutput " + id + " " + lines);
        List<String> all = outputs.getOrDefault(id, List.of());
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    @Override
    public List<ContainerSummary> listByLabel(String label, String value) {
        record("listByLabel " + label + "=" + value);
        return listing;
    }

    /** What the engine reports in detail, for running() and labelled(). */
    public final List<ContainerStatus> statuses = new ArrayList<>();

    /** What {@link #cannotCarry} answers: as a CLI runtime names the variables and mounts it cannot pass. */
    public List<String> environmentProblems = List.of();

    @Override
    public List<String> cannotCarry(ContainerSpec spec) {
        return environmentProblems;
    }

    @Override
    public List<ContainerStatus> running() {
        record("running");
        return statuses.stream().filter(ContainerStatus::running).toList();
    }

    @Override
    public List<ContainerStatus> labelled(String label) {
        record("labelled " + label);
        return statuses.stream().filter(status -> status.labels().containsKey(label)).toList();
    }

    @Override
    public void remove(String id) {
        record("remove " + id);
        removed.add(id);
    }

    @Override
    public void close() {
        record("close");
    }

    public void addExited(String id, long created) {
        listing.add(new ContainerSummary(id, false, Instant.ofEpochSecond(created), Map.of()));
    }
}
