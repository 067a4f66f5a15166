package dev.waitdaemon.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds the id of the container this process runs in. The hostname is not enough: with host
 * networking it is the host's name. The engine bind-mounts its per-container /etc/hostname from a
 * folder named after the full id, which /proc/self/mountinfo shows whatever the network or cgroup
 * setup; /proc/self/cgroup names the id under cgroup v1. The hostname comes last.
 */
@ApplicationScoped
public class OwnContainer {

    /** .../containers/<id>/hostname (docker) or .../overlay-containers/<id>/userdata/hostname (podman). */
    private static final Pattern CONTAINER_FOLDER = Pattern.compile("containers/([0-9a-f]{64})/");
    private static final Set<String> ENGINE_FILES = Set.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");
    /** docker/<id>, docker-<id>.scope, libpod-<id>.scope, or a bare <id> as the last path element. */
    private static final Pattern CGROUP_ID = Pattern.compile("(?:^|[/-])([0-9a-f]{64})(?:\\.scope)?$");

    private final Path procSelf;

    public OwnContainer() {
        this(Path.of("/proc/self"));
    }

    OwnContainer(Path procSelf) {
        this.procSelf = procSelf;
    }

    /** Candidate ids, most reliable first; empty only when nothing at all could be read. */
    public List<String> candidateIds() {
        Set<String> ids = new LinkedHashSet<>();
        read(procSelf.resolve("mountinfo")).flatMap(OwnContainer::fromMountinfo).ifPresent(ids::add);
        read(procSelf.resolve("cgroup")).flatMap(OwnContainer::fromCgroup).ifPresent(ids::add);
        hostname().ifPresent(ids::add);
        return List.copyOf(ids);
    }

    /** This process's container as the engine reports it, trying each candidate id in turn. */
    public Optional<ContainerInfo> inspectWith(ContainerRuntime runtime) {
        for (String id : candidateIds()) {
            try {
                return Optional.of(runtime.inspectContainer(id));
            } catch (EngineException.NotFound notThisOne) {
                // an id from a less reliable source; try the next
            }
        }
        return Optional.empty();
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
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

}
