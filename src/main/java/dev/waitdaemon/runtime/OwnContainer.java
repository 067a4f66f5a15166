package dev.waitdaemon.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds the id of the container this process runs in. The hostname is not enough: with host
 * networking it is the host's name. The engine bind-mounts its per-container /etc/hostname from a
 * folder named after the full id, which /proc/self/mountinfo shows whatever the network or cgroup
 * setup; /proc/self/cgroup names the id under cgroup v1. The hostname comes next, and with pid: host
 * the container whose init process is this process or an ancestor last.
 */
@ApplicationScoped
public class OwnContainer {

    /**
     * A folder named after the id: .../containers/<id>/hostname (docker),
     * .../overlay-containers/<id>/userdata/hostname (podman), .../containers/<namespace>/<id>/hostname (nerdctl).
     */
    private static final Pattern CONTAINER_FOLDER = Pattern.compile("/([0-9a-f]{64})/");
    /** The files an engine provides, in the order their folders are trusted to name this container. */
    private static final List<String> ENGINE_FILES = List.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");
    /** docker/<id>, docker-<id>.scope, libpod-<id>.scope, or a bare <id> as the last path element. */
    private static final Pattern CGROUP_ID = Pattern.compile("(?:^|[/-])([0-9a-f]{64})(?:\\.scope)?$");

    /** What stands for the clone's image in a plan made outside any container. */
    private static final String OUTSIDE_IMAGE = "(waitdaemon's own image, once it runs as an action)";
    private final Path procSelf;
    private final ProcessFacts process;
    /** See {@link Found}. */
    private volatile Found lastFound;

    public OwnContainer() {
        this(Path.of("/proc/self"));
    }

    OwnContainer(Path procSelf) {
        this.procSelf = procSelf;
        this.process = new ProcessFacts(procSelf);
    }

    /** Candidate ids, most reliable first; empty only when nothing at all could be read. */
    public List<String> candidateIds() {
        Set<String> ids = new LinkedHashSet<>();
        mountinfoId().ifPresent(ids::add);
        read(procSelf.resolve("cgroup")).flatMap(OwnContainer::fromCgroup).ifPresent(ids::add);
        hostname().ifPresent(ids::add);
        return List.copyOf(ids);
    }

    /**
     * The id from the engine's own mount of /etc/hostname: it names this container and nothing else. A
     * cgroup path may be a parent's, and the hostname is the host's under host networking; the engines'
     * inspect also matches names and id prefixes with those.
     */
    private Optional<String> mountinfoId() {
        return read(procSelf.resolve("mountinfo")).flatMap(OwnContainer::fromMountinfo);
    }

    /**
     * This process's container as the engine reports it, trying each candidate id in turn, with what
     * the engine left unreported filled in from the process itself: its environment, its arguments
     * ({@code args}, the container's command), and /proc/self/status for privileges and pid namespace.
     * Every candidate must be confirmed, the one the mount table names too: with --network container:X,
     * Docker mounts X's hostname, hosts and resolv.conf, and in a podman pod hosts and resolv.conf are the
     * infra container's.
     */
    public Optional<ContainerInfo> inspectWith(ContainerRuntime runtime, List<String> args) {
        Found earlier = lastFound;
        if (earlier != null && earlier.runtime() == runtime) {
            return Optional.of(complete(earlier.info(), args));
        }
        Optional<ContainerInfo> info = inspectByEngine(runtime);
        info.ifPresent(it -> lastFound = new Found(runtime, it));
        return info.map(it -> complete(it, args));
    }

    /**
     * The container found last and the runtime that found it. Auto-detection's check on containerd (is this
     * action in the namespace?) and the phase after it ask the same engine the same question, a few
     * milliseconds apart: the answer is this process's own container either way.
     */
    private record Found(ContainerRuntime runtime, ContainerInfo info) {
    }

    private Optional<ContainerInfo> inspectByEngine(ContainerRuntime runtime) {
        Optional<String> ownLayer = ownWritableLayer();
        for (String id : candidateIds()) {
            try {
                ContainerInfo found = runtime.inspectContainer(id);
                if (isThisProcesses(runtime, found, id, ownLayer)) {
                    return Optional.of(found);
                }
            } catch (EngineException.NotFound notThisOne) {
                // an id from a less reliable source; try the next
            }
        }
        try {
            Optional<String> byInit = byInitProcess(runtime);
            if (byInit.isPresent()) {
                return Optional.of(runtime.inspectContainer(byInit.get()));
            }
            return byWritableLayer(runtime, ownLayer);
        } catch (EngineException.NotFound goneMeanwhile) {
            return Optional.empty();
        }
    }

    /** The upper directory of this container's root overlay, as this process's mount table shows it. */
    public Optional<String> ownWritableLayer() {
        return read(procSelf.resolve("mountinfo")).flatMap(OwnContainer::writableLayer);
    }

    /**
     * Whether a container found by a candidate id is this process's. The writable layer settles it where
     * the engine and this mount table both name one (dockerd and podman's overlay): a container that only
     * lent this one files has its own. Otherwise {@link #runsThisProcess}.
     */
    private boolean isThisProcesses(ContainerRuntime runtime, ContainerInfo found, String asked, Optional<String> ownLayer) {
        if (ownLayer.isPresent() && found.writableLayer() != null) {
            return ownLayer.get().equals(found.writableLayer());
        }
        return runsThisProcess(runtime, found, asked);
    }

    /**
     * The last resort where nothing names this container but its writable layer is known (--network
     * container:X without pid: host, and no cgroup id): the running container whose layer it is.
     */
    private Optional<ContainerInfo> byWritableLayer(ContainerRuntime runtime, Optional<String> ownLayer) {
        if (ownLayer.isEmpty()) {
            return Optional.empty();
        }
        for (ContainerStatus running : runtime.running()) {
            try {
                ContainerInfo info = runtime.inspectContainer(running.id());
                if (ownLayer.get().equals(info.writableLayer())) {
                    return Optional.of(info);
                }
            } catch (EngineException.NotFound goneMeanwhile) {
                // exited since it was listed: not this one
            }
        }
        return Optional.empty();
    }

    /**
     * The upper directory of this container's root overlay, as its mount table shows it: the same path
     * the engine reports as the container's GraphDriver.Data.UpperDir (dockerd 20.10's overlay2 and podman
     * 4.3's overlay, compared by hand). Empty for another root file system.
     */
    public static Optional<String> writableLayer(String mountinfo) {
        return overlayRootOptions(mountinfo).flatMap(options -> upperdir(Arrays.stream(options.split(","))));
    }

    /** The {@code upperdir=} of an overlay's options (a mount table's, or a containerd snapshot's mount). */
    public static Optional<String> upperdir(Stream<String> overlayOptions) {
        return overlayOptions.filter(option -> option.startsWith("upperdir="))
            .map(option -> option.substring("upperdir=".length()))
            .findFirst();
    }

    /** The super options of the root file system, where it is an overlay (a container's, as a rule). */
    private static Optional<String> overlayRootOptions(String mountinfo) {
        for (String line : mountinfo.split("\n")) {
            // mountinfo: id parent major:minor root mount-point options ... - fstype source super-options
            String[] halves = line.trim().split(" - ", 2);
            String[] fields = halves[0].split(" ");
            if (halves.length < 2 || fields.length < 5 || !fields[4].equals("/")) {
                continue;
            }
            String[] after = halves[1].split(" ");
            if (after.length >= 3 && after[0].equals("overlay")) {
                return Optional.of(after[2]);
            }
        }
        return Optional.empty();
    }

    /** Whether PID 1 is the machine's init ({@link ProcessFacts#inHostPidNamespace}): pid: host. */
    public boolean inHostPidNamespace() {
        return process.inHostPidNamespace(process.status());
    }

    /** Whether this process runs in a container at all ({@link ProcessFacts#insideAContainer}). */
    public boolean insideAContainer() {
        return process.insideAContainer();
    }

    static boolean overlayRoot(String mountinfo) {
        return overlayRootOptions(mountinfo).isPresent();
    }

    /**
     * This process as an action would be if it were one, for a dry run outside any container: its
     * environment, its arguments as the command, and the engine's defaults for everything else.
     */
    public ContainerInfo outsideAnyContainer(List<String> args) {
        HostSettings defaults = new HostSettings(false, null, null, null, null, null, null, null, null, null, null);
        return new ContainerInfo("", OUTSIDE_IMAGE, null, args, ProcessFacts.environment(), Map.of(), false, defaults);
    }

    /** What {@link #inspectWith} tried, for the message when it found nothing. */
    public String triedSources() {
        String ids = "ids " + candidateIds();
        return process.inHostPidNamespace(process.status())
            ? ids + ", and the running containers' init processes" : ids;
    }

    /**
     * The last source, for when nothing the engine provides names the container (CaptainOS: a random
     * id, the agent's own resolv.conf, hosts and hostname, host networking, a cgroup namespace). With
     * pid: host this process's pid and its ancestors' are the host's, so the running container whose
     * init process is among them is this one; the nearest, should containers nest.
     */
    Optional<String> byInitProcess(ContainerRuntime runtime) {
        String status = process.status();
        if (!process.inHostPidNamespace(status)) {
            return Optional.empty();
        }
        List<Long> lineage = process.lineage(status);
        if (lineage.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, String> byInitPid = new HashMap<>();
        runtime.running().stream().filter(container -> container.initPid() > 0)
            .forEach(container -> byInitPid.putIfAbsent(container.initPid(), container.id()));
        return lineage.stream().filter(byInitPid::containsKey).map(byInitPid::get).findFirst();
    }

    /**
     * Whether a container found by a less reliable id is this process's. With pid: host, only if its
     * init process is this process or an ancestor (another container may carry the host's name). Where
     * pids cannot be compared (another pid namespace), only if the engine's id is what was asked, or
     * starts with it: a name the engine matched is never taken for an id.
     */
    private boolean runsThisProcess(ContainerRuntime runtime, ContainerInfo found, String asked) {
        String status = process.status();
        if (!process.inHostPidNamespace(status)) {
            return found.id().startsWith(asked);
        }
        List<Long> lineage = process.lineage(status);
        return runtime.running().stream()
            .anyMatch(container -> container.id().equals(found.id()) && lineage.contains(container.initPid()));
    }

    private ContainerInfo complete(ContainerInfo info, List<String> args) {
        String status = process.status();
        // In the host's pid namespace PID 1 is the host's init: sharing one of its namespaces then means
        // the host's. (Otherwise PID 1 is this container's own first process and says nothing.)
        boolean hostPid = process.inHostPidNamespace(status);
        boolean hostIpc = hostPid && !"host".equals(info.host().ipcMode()) && process.sharesHostNamespace("ipc", status);
        if (info.unreported().isEmpty() && !hostIpc) {
            return info;
        }
        Set<ContainerInfo.Unreported> missing = info.unreported();
        List<String> env = info.env();
        if (missing.contains(ContainerInfo.Unreported.ENV)) {
            env = ProcessFacts.environment();
        }
        List<String> cmd = missing.contains(ContainerInfo.Unreported.COMMAND) ? args : info.cmd();
        HostSettings host = info.host();
        boolean privileged = host.privileged();
        List<String> capAdd = host.capAdd();
        List<String> capDrop = host.capDrop();
        if (missing.contains(ContainerInfo.Unreported.PRIVILEGED)) {
            privileged = ProcessFacts.looksPrivileged(status, process.everyCapability(status));
            if (!privileged) {
                // Exactly the capabilities it has, no more: never widened to --privileged.
                capDrop = List.of("ALL");
                capAdd = ProcessFacts.effectiveCapabilities(status);
            }
        }
        String pidMode = missing.contains(ContainerInfo.Unreported.PID_MODE) ? (hostPid ? "host" : null) : host.pidMode();
        String networkMode = missing.contains(ContainerInfo.Unreported.NETWORK_MODE)
            ? (hostPid && process.sharesHostNamespace("net", status) ? "host" : null) : host.networkMode();
        // podman (4.3) reports --ipc host as "shareable"; the namespace itself tells the truth.
        String ipcMode = hostIpc ? "host" : host.ipcMode();
        HostSettings completed = new HostSettings(privileged, pidMode, networkMode, ipcMode, host.utsMode(),
            host.binds(), host.mounts(), capAdd, capDrop, host.devices(), host.securityOpt());
        return new ContainerInfo(info.id(), info.imageId(), info.entrypoint(), cmd, env, info.labels(), info.tty(),
            completed, Set.of(), info.inherited(), info.writableLayer(), info.origin());
    }

    /**
     * The id in the source folder of the engine-provided /etc/hostname (or else hosts, resolv.conf) mount.
     * The hostname first: in a podman pod hosts and resolv.conf are the infra container's while the
     * hostname is the container's own (podman 4.3, seen by hand); Docker's --network container:X lends
     * all three, which {@link #inspectWith}'s confirmation catches.
     */
    static Optional<String> fromMountinfo(String mountinfo) {
        for (String file : ENGINE_FILES) {
            for (String line : mountinfo.split("\n")) {
                // mountinfo: id parent major:minor root mount-point options ... - fstype source super-options
                String[] fields = line.trim().split(" ");
                if (fields.length < 5 || !fields[4].equals(file)) {
                    continue;
                }
                Matcher matcher = CONTAINER_FOLDER.matcher(fields[3]);
                if (matcher.find()) {
                    return Optional.of(matcher.group(1));
                }
            }
        }
        return Optional.empty();
    }

    static Optional<String> fromCgroup(String cgroup) {
        for (String line : cgroup.split("\n")) {
            // hierarchy-id:controllers:path
            int colon = line.indexOf(':', line.indexOf(':') + 1);
            if (colon < 0) {
                continue;
            }
            Matcher matcher = CGROUP_ID.matcher(line.substring(colon + 1).trim());
            if (matcher.find()) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    private Optional<String> hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.trim());
        }
        return read(Path.of("/etc/hostname")).map(String::trim).filter(name -> !name.isEmpty());
    }

    private static Optional<String> read(Path file) {
        return ProcessFacts.read(file);
    }

}
