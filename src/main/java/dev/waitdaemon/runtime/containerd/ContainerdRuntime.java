package dev.waitdaemon.runtime.containerd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.ScopedProblem;
import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.ContainerStatus;
import dev.waitdaemon.runtime.ContainerSummary;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.InheritedSettings;

/**
 * The runtime seam over containerd's own API (CaptainOS). A clone or a target is the OCI spec of the
 * container it copies with the phases' changes applied (the process, the labels, the masks), on a fresh
 * snapshot: nothing of the spec passes through Docker's shape. Its output goes to a file the shim writes,
 * {@value #OUTPUT_FOLDER}/NAMESPACE/ID.log on the machine, removed with the container (the machine's
 * /var/log: until it boots again).
 */
final class ContainerdRuntime implements ContainerRuntime {

    static final String NAME = "containerd-api";
    static final String OUTPUT_FOLDER = "/var/log/waitdaemon";
    /** Where a target's copies of the agent's DNS files live on the machine (its /run: RAM, gone at boot). */
    static final String FILES_FOLDER = "/run/waitdaemon";

    /** containerd's default snapshotter, where a pull unpacks before any container names one. */
    static final String SNAPSHOTTER = "overlayfs";
    /** The machine's registry hosts (containerd's certs.d), read by containerd on a pull. */
    static final String REGISTRY_HOSTS = "/etc/containerd/certs.d";
    private static final Duration PULL_LIMIT = Duration.ofMinutes(15);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
    /** Where a clone says that it watches for the action's exit. */
    static final String CLONE_WATCHING_TOPIC = "/waitdaemon/clone/watching";
    /** How long a new watch may take to be live: containerd's round trip, many times over. */
    static final Duration LIVE_LIMIT = Duration.ofSeconds(2);
    /** How often a first fork waiting for its clone's word checks that the clone still runs. */
    static final Duration CLONE_CHECK = Duration.ofMillis(100);

    private final ContainerdApi api;
    private final String namespace;
    /** Where the machine's files are seen from this process (/proc/1/root with pid: host); empty where they are not. */
    private final Optional<Path> machineRoot;
    private final Map<String, ContainerdImages.ImageConfig> configs = new ConcurrentHashMap<>();

    private volatile Optional<ContainerdApi.EventWatch> exits = Optional.empty();

    ContainerdRuntime(ContainerdApi api, String namespace, Optional<Path> machineRoot) {
        this.api = api;
        this.namespace = namespace;
        this.machineRoot = machineRoot;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The namespace, as nerdctl reads it (NERDCTL_NAMESPACE); not the CLIs' host mode. */
    @Override
    public boolean reads(ScopedProblem.ReadBy settings) {
        return settings == ScopedProblem.ReadBy.NERDCTL;
    }

    @Override
    public Optional<ImageInfo> inspectImage(String image) {
        ImageReference reference = ImageReference.parse(image);
        String name = reference.qualified();
        try {
            ContainerdModel.Image record = api.image(name);
            ContainerdImages.ImageConfig config = config(name);
            return Optional.of(new ImageInfo(config.configDigest(), config.env(), config.entrypoint(),
                List.of(reference.qualifiedRepository() + "@" + record.target().digest()), InheritedSettings.of(config.config(), null)));
        } catch (EngineException.NotFound e) {
            return Optional.empty();
        }
    }

    @Override
    public void pull(ImageReference image, Optional<RegistryCredentials> credentials) {
        String name = image.qualified();
        configs.remove(name);
        api.pull(name, ContainerdImages.architecture(), SNAPSHOTTER, REGISTRY_HOSTS, credentials, PULL_LIMIT);
    }

    @Override
    public ContainerInfo inspectContainer(String id) {
        ContainerdModel.Container container = api.container(id);
        List<String> entrypoint;
        try {
            entrypoint = config(container.image()).entrypoint();
        } catch (EngineException e) {
            // The image is gone or unreadable: the whole process then counts as the command.
            entrypoint = List.of();
        }
        return ContainerdMapping.toContainerInfo(container, entrypoint, writableLayer(container).orElse(null));
    }

    /** The upper directory of the container's overlay snapshot: what its own mount table names as its root's. */
    private Optional<String> writableLayer(ContainerdModel.Container container) {
        if (container.snapshotKey().isEmpty()) {
            return Optional.empty();
        }
        try {
            return ContainerdMapping.upperdir(api.snapshotMounts(container.snapshotter(), container.snapshotKey()));
        } catch (EngineException.NotFound gone) {
            // no snapshot (any more): no layer to tell it by
            return Optional.empty();
        }
    }

    /**
     * The clone ({@code spec.entrypoint()} given: the copied container's own image, with that process) or
     * the target (no entrypoint: IMAGE's config decides entrypoint, working directory, user and the
     * environment's defaults), each on the copied container's spec.
     */
    @Override
    public String create(ContainerSpec spec) {
        ContainerdModel.Container origin = originOf(spec);
        String id = RandomHex.of(32);
        String image = ImageReference.parse(spec.image()).qualified();
        String specJson;
        String parent;
        Map<String, String> sources = Map.of();
        if (spec.entrypoint() != null) {
            List<String> args = new ArrayList<>(spec.entrypoint());
            args.addAll(spec.cmd());
            specJson = ContainerdLaunch.respec(origin.specJson(), origin.id(), id, args, spec.env());
            parent = api.snapshotParent(origin.snapshotter(), origin.snapshotKey());
        } else {
            ContainerdImages.ImageConfig config = config(image);
            // The copied container's own image: waitdaemon's (read when the clone inspected itself).
            ContainerdImages.ImageConfig own = config(origin.image());
            specJson = ContainerdLaunch.respec(origin.specJson(), origin.id(), id, ContainerdLaunch.argsFor(config, spec.cmd()),
                ContainerdLaunch.envFor(config, spec.env()), ContainerdLaunch.cwdFor(origin.specJson(), own, config),
                ContainerdLaunch.userFor(origin.specJson(), own, config));
            parent = config.chainId();
            sources = agentFiles(origin, id);
        }
        specJson = ContainerdMapping.withMounts(specJson, masks(spec.host()), sources);
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        // What nerdctl ps, logs and rm go by: its namespace and a name of its own.
        labels.put("nerdctl/namespace", namespace);
        labels.put("nerdctl/name", "waitdaemon-" + spec.labels().getOrDefault(Contract.PHASE_LABEL, "container")
            + "-" + id.substring(0, 12));
        ContainerdLaunch.create(api, new ContainerdModel.NewContainer(id, labels, image, origin.runtime(), specJson,
            origin.snapshotter(), id), parent, "file://" + outputFile(id));
        return id;
    }

    @Override
    public void startCreated(String id) {
        api.startTask(id);
    }

    /**
     * tink-agent binds its own resolv.conf, hosts and hostname (files under /tmp/tink-dns-*) over the image's,
     * and removes them once the action has exited, before the target is made. The clone has them still
     * (this process: the target is made by the clone): the target gets copies in the machine's /run, where
     * this process can write (pid: host, privileged); elsewhere its image's own. A file of another
     * container's mount namespace cannot be bound itself (runc: EINVAL, on containerd 2.1.9).
     */
    private Map<String, String> agentFiles(ContainerdModel.Container origin, String id) {
        Map<String, String> sources = new HashMap<>();
        ContainerdMapping.bindsFrom(origin.specJson(), ContainerdMapping.AGENT_FILES_PREFIX)
            .forEach((source, target) -> sources.put(source, copyToMachine(target, id).orElse(null)));
        return sources;
    }

    private Optional<String> copyToMachine(String file, String id) {
        if (machineRoot.isEmpty()) {
            return Optional.empty();
        }
        String copy = filesFolder(id) + "/" + Path.of(file).getFileName();
        try {
            Path onMachine = machineRoot.get().resolve(copy.substring(1));
            Files.createDirectories(onMachine.getParent());
            Files.write(onMachine, Files.readAllBytes(Path.of(file)));
            return Optional.of(copy);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> masks(HostSettings host) {
        String prefix = HostSettings.MASK_SOURCE + ":";
        return host.binds().stream().filter(bind -> bind.startsWith(prefix))
            .map(bind -> bind.substring(prefix.length()).split(":", 2)[0]).toList();
    }

    /**
     * A network namespace of the action's own is tink-agent's CNI bridge (set up on the task after it
     * started, gone with it): the clone and the target would get an empty namespace instead.
     */
    @Override
    public List<String> cannotCarry(ContainerSpec spec) {
        ContainerdModel.Container origin = originOf(spec);
        if (ContainerdMapping.ownNetwork(origin)) {
            return List.of("its network: tink-agent's CNI bridge is set up in the action's own network namespace and ends with it,"
                + " and containerd's API cannot give it again; set namespaces.network: host in the action's template,"
                + " or CONTAINER_RUNTIME=nerdctl for nerdctl's own bridge");
        }
        return List.of();
    }

    /** Each of {@link #cannotCarry}'s lines says what to use instead. */
    @Override
    public String cannotCarryFix() {
        return "change what is named";
    }

    /** Where this process cannot write the machine's files, the target gets its image's own DNS files. */
    @Override
    public List<String> uncarried(ContainerSpec spec) {
        boolean agentFiles = !ContainerdMapping.bindsFrom(originOf(spec).specJson(), ContainerdMapping.AGENT_FILES_PREFIX).isEmpty();
        return agentFiles && machineRoot.isEmpty()
            ? List.of("to the target: tink-agent's resolv.conf, hosts and hostname, which it removes after the action (give the action pid: host)")
            : List.of();
    }

    private static ContainerdModel.Container originOf(ContainerSpec spec) {
        if (spec.origin() instanceof ContainerdModel.Container container) {
            return container;
        }
        throw new EngineException("the containerd runtime copies a container of its own, and was given none", null);
    }

    /**
     * The clone's: keep containerd's announcements of the tasks' exits from now on. tink-agent deletes an action
     * that succeeded as soon as it exits, and its exit time with it; the announcement is the record that stays,
     * for a clone that is watching before the action exits. Once the watch is live, the clone says so to the
     * first fork, which waits for that before it ends the action, naming itself by its writable layer
     * ({@code ownLayer}, its mount table's: the first fork reads the same from the clone's snapshot).
     */
    void watchExits(Optional<String> ownLayer) {
        ContainerdApi.EventWatch watch = api.watch(List.of(ContainerdApi.EXIT_TOPIC));
        exits = Optional.of(watch);
        if (ownLayer.isEmpty()) {
            return;
        }
        try {
            if (watch.awaitLive(LIVE_LIMIT)) {
                api.announce(CLONE_WATCHING_TOPIC, ownLayer.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (EngineException e) {
            // Unsaid: the first fork stops waiting at its limit, and the wait counts from the exit as seen.
        }
    }

    @Override
    public Optional<CloneReadiness> cloneReadiness() {
        ContainerdApi.EventWatch watch = api.watch(List.of(CLONE_WATCHING_TOPIC));
        try {
            if (watch.awaitLive(LIVE_LIMIT)) {
                return Optional.of(new Readiness(watch));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (EngineException e) {
            // no readiness to hear of: the clone's wait counts from the exit as seen
        }
        watch.close();
        return Optional.empty();
    }

    /** A clone's word that it watches, on a watch that was live before the clone started. */
    private final class Readiness implements CloneReadiness {
        private final ContainerdApi.EventWatch watch;

        Readiness(ContainerdApi.EventWatch watch) {
            this.watch = watch;
        }

        @Override
        public Answer await(String cloneId, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            Optional<String> layer;
            try {
                layer = writableLayer(api.container(cloneId));
            } catch (EngineException e) {
                return Answer.SILENT;
            }
            if (layer.isEmpty()) {
                // Not an overlay: the clone has no layer to name itself by either.
                return Answer.SILENT;
            }
            while (true) {
                long left = deadline - System.nanoTime();
                if (watch.awaitAnnounced(CLONE_WATCHING_TOPIC, layer.get(), Duration.ofNanos(Math.min(left, CLONE_CHECK.toNanos())))) {
                    return Answer.WATCHING;
                }
                if (deadline - System.nanoTime() <= 0) {
                    return Answer.SILENT;
                }
                try {
                    if (!isRunning(cloneId)) {
                        return Answer.ENDED;
                    }
                } catch (EngineException e) {
                    // not known to have ended: its word may still come
                }
            }
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    @Override
    public boolean isRunning(String id) {
        if (exits.flatMap(watch -> watch.exitOf(id)).isPresent()) {
            return false;
        }
        try {
            return api.task(id).status() != ContainerdModel.TaskStatus.STOPPED;
        } catch (EngineException.NotFound gone) {
            return false;
        }
    }

    @Override
    public Optional<Instant> exitedAt(String id) {
        Optional<ContainerdModel.Exit> announced = exits.flatMap(watch -> watch.exitOf(id));
        if (announced.isPresent()) {
            return announced.map(ContainerdModel.Exit::at);
        }
        try {
            return api.task(id).exit().map(ContainerdModel.Exit::at);
        } catch (EngineException.NotFound gone) {
            return Optional.empty();
        }
    }

    /** tink-agent deletes a successful action's container as soon as it exits, and its exit with it. */
    @Override
    public boolean recordsExitTimes() {
        return false;
    }

    @Override
    public Optional<Integer> exitCode(String id) {
        // Without its task (deleted, or the container gone) nothing tells the exit: NotFound.
        return api.task(id).exit().map(ContainerdModel.Exit::status);
    }

    /** From the file the shim writes, where this process sees the machine's files; none elsewhere. */
    @Override
    public List<String> lastOutput(String id, int lines) {
        Optional<Path> file = machineRoot.map(root -> root.resolve(outputFile(id).substring(1)));
        if (file.isEmpty() || !Files.isReadable(file.get())) {
            return List.of();
        }
        try {
            List<String> all = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    @Override
    public List<ContainerSummary> listByLabel(String label, String value) {
        return api.containers("labels.\"" + label + "\"==" + value).stream()
            .map(container -> new ContainerSummary(container.id(), isRunning(container.id()), container.createdAt(), container.labels()))
            .sorted(Comparator.comparing(ContainerSummary::created).reversed())
            .toList();
    }

    @Override
    public List<ContainerStatus> running() {
        return api.containers().stream().map(this::status).filter(ContainerStatus::running).toList();
    }

    @Override
    public List<ContainerStatus> labelled(String label) {
        return api.containers("labels.\"" + label + "\"").stream().map(this::status).toList();
    }

    private ContainerStatus status(ContainerdModel.Container container) {
        Optional<ContainerdModel.Task> task;
        try {
            task = Optional.of(api.task(container.id()));
        } catch (EngineException.NotFound noTask) {
            task = Optional.empty();
        }
        String state = task.map(t -> switch (t.status()) {
            case RUNNING, PAUSED, PAUSING -> "running";
            case STOPPED -> "exited";
            default -> "created";
        }).orElse("created");
        Optional<ContainerdModel.Exit> exit = task.flatMap(ContainerdModel.Task::exit);
        return new ContainerStatus(container.id(), container.image(), state, state.equals("running") ? task.get().pid() : 0,
            exit.map(ContainerdModel.Exit::status), Optional.ofNullable(container.createdAt()), Optional.empty(),
            exit.map(ContainerdModel.Exit::at), container.labels());
    }

    /** The task (killed if it runs), the snapshot, the record and the output file. */
    @Override
    public void remove(String id) {
        ContainerdModel.Container container = api.container(id);
        try {
            if (api.task(id).status() != ContainerdModel.TaskStatus.STOPPED) {
                api.killTask(id, 9);
                api.awaitExit(id, STOP_LIMIT);
            }
            api.deleteTask(id);
        } catch (EngineException.NotFound noTask) {
            // never started, or already deleted
        }
        if (!container.snapshotKey().isEmpty()) {
            try {
                api.removeSnapshot(container.snapshotter(), container.snapshotKey());
            } catch (EngineException.NotFound noSnapshot) {
                // removed already
            }
        }
        api.deleteContainer(id);
        machineRoot.ifPresent(root -> {
            try {
                Files.deleteIfExists(root.resolve(outputFile(id).substring(1)));
                Path files = root.resolve(filesFolder(id).substring(1));
                if (Files.isDirectory(files)) {
                    try (var copies = Files.list(files)) {
                        for (Path copy : copies.toList()) {
                            Files.deleteIfExists(copy);
                        }
                    }
                    Files.deleteIfExists(files);
                }
            } catch (IOException | UncheckedIOException e) {
                // left on the machine's tmpfs, which goes at its next boot
            }
        });
    }

    @Override
    public void close() {
        exits.ifPresent(ContainerdApi.EventWatch::close);
        api.close();
    }

    /** Where the shim writes the container's output, on the machine. */
    String outputFile(String id) {
        return OUTPUT_FOLDER + "/" + namespace + "/" + id + ".log";
    }

    private String filesFolder(String id) {
        return FILES_FOLDER + "/" + namespace + "/" + id;
    }

    private ContainerdImages.ImageConfig config(String name) {
        ContainerdImages.ImageConfig cached = configs.get(name);
        if (cached != null) {
            return cached;
        }
        ContainerdImages.ImageConfig config = ContainerdImages.config(api, name, ContainerdImages.architecture());
        configs.put(name, config);
        return config;
    }
}
