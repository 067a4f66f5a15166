package dev.waitdaemon.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Set<String> ENGINE_FILES = Set.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");
    /** docker/<id>, docker-<id>.scope, libpod-<id>.scope, or a bare <id> as the last path element. */
    private static final Pattern CGROUP_ID = Pattern.compile("(?:^|[/-])([0-9a-f]{64})(?:\\.scope)?$");

    /** What stands for the clone's image in a plan made outside any container. */
    private static final String OUTSIDE_IMAGE = "(waitdaemon's own image, once it runs as an action)";
    private final Path procSelf;
    private final ProcessFacts process;

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
     */
    public Optional<ContainerInfo> inspectWith(ContainerRuntime runtime, List<String> args) {
        Optional<String> named = mountinfoId();
        for (String id : candidateIds()) {
            try {
                ContainerInfo found = runtime.inspectContainer(id);
                if (named.filter(id::equals).isPresent() || runsThisProcess(runtime, found, id)) {
                    return Optional.of(complete(found, args));
                }
            } catch (EngineException.NotFound notThisOne) {
                // an id from a less reliable source; try the next
            }
        }
        try {
            return byInitProcess(runtime).map(id -> complete(runtime.inspectContainer(id), args));
        } catch (EngineException.NotFound goneMeanwhile) {
            return Optional.empty();
        }
    }

    /**
     * Whether this process runs in a container at all: an id in /proc, an overlay root file system
     * (every engine's default storage), or podman's /run/.containerenv. (Not docker's /.dockerenv: a
     * machine made from an exported container keeps it.) A developer's shell has none of these; a dry
     * run there plans from the process itself.
     */
    public boolean insideAContainer() {
        // procSelf is /proc/self: the root is two folders up (a test's fake /proc lives under its own root)
        Path proc = procSelf.getParent();
        Path root = proc == null || proc.getParent() == null ? Path.of("/") : proc.getParent();
        String mountinfo = read(procSelf.resolve("mountinfo")).orElse("");
        return fromMountinfo(mountinfo).isPresent() || read(procSelf.resolve("cgroup")).flatMap(OwnContainer::fromCgroup).isPresent()
            || overlayRoot(mountinfo) || Files.exists(root.resolve("run/.containerenv"));
    }

    static boolean overlayRoot(String mountinfo) {
        return mountinfo.lines().map(line -> line.trim().split(" "))
            .anyMatch(fields -> fields.length > 6 && fields[4].equals("/") && fields[fields.length - 3].equals("overlay"));
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
        return ProcessFacts.inHostPidNamespace(process.status())
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
        if (!ProcessFacts.inHostPidNamespace(status)) {
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
        if (!ProcessFacts.inHostPidNamespace(status)) {
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
        boolean hostPid = ProcessFacts.inHostPidNamespace(status);
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
            completed, Set.of(), info.inherited());
    }

    /** The id in the source folder of the engine-provided /etc/hostname (or hosts, resolv.conf) mount. */
    static Optional<String> fromMountinfo(String mountinfo) {
        for (String line : mountinfo.split("\n")) {
            // mountinfo: id parent major:minor root mount-point options ... - fstype source super-options
            String[] fields = line.trim().split(" ");
            if (fields.length < 5 || !ENGINE_FILES.contains(fields[4])) {
                continue;
            }
            Matcher matcher = CONTAINER_FOLDER.matcher(fields[3]);
            if (matcher.find()) {
                return Optional.of(matcher.group(1));
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
