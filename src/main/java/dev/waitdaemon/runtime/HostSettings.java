package dev.waitdaemon.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host-facing settings an action was given and its clone and target inherit: what makes a
 * reboot or kexec work (privileges, host pid namespace, devices, the host's mounts).
 * A null mode means "the engine's default".
 */
public record HostSettings(
    boolean privileged,
    String pidMode,
    String networkMode,
    String ipcMode,
    String utsMode,
    List<String> binds,
    List<MountSpec> mounts,
    List<String> capAdd,
    List<String> capDrop,
    List<DeviceMapping> devices,
    List<String> securityOpt) {

    public HostSettings {
        binds = copy(binds);
        mounts = copy(mounts);
        capAdd = copy(capAdd);
        capDrop = copy(capDrop);
        devices = copy(devices);
        securityOpt = copy(securityOpt);
    }

    /**
     * Each mount once: an engine may report a mount given with --mount both among the mounts and as a
     * bind (docker's inspect lists it in its Mounts, from which a CLI's binds are rebuilt), and passing
     * both makes the engine refuse the duplicate mount point. The --mount form is kept, it says more.
     */
    public HostSettings withEachMountOnce() {
        Set<String> mountTargets = new HashSet<>();
        mounts.forEach(mount -> mountTargets.add(mount.target()));
        List<String> uniqueBinds = new ArrayList<>();
        Set<String> bindTargets = new HashSet<>();
        for (String bind : binds) {
            String target = bindTarget(bind);
            if (!mountTargets.contains(target) && bindTargets.add(target)) {
                uniqueBinds.add(bind);
            }
        }
        return new HostSettings(privileged, pidMode, networkMode, ipcMode, utsMode, uniqueBinds, mounts, capAdd, capDrop,
            devices, securityOpt);
    }

    /**
     * The target of the bind or mount through which {@code file} (a path inside the container) is seen:
     * the nearest one, should several folders above it be mounted. Empty when the file is the image's own.
     */
    public Optional<String> mountCarrying(String file) {
        Path path = Path.of(file).normalize();
        Stream<String> targets = Stream.concat(binds.stream().map(HostSettings::bindTarget),
            mounts.stream().map(MountSpec::target));
        return targets.filter(target -> target != null && !target.isEmpty())
            .filter(target -> path.startsWith(Path.of(target).normalize()))
            .max(Comparator.comparingInt(target -> Path.of(target).normalize().getNameCount()));
    }

    /**
     * These settings with {@code file} masked: an empty file (the host's /dev/null, read-only) bound over
     * it, so that it alone is kept from the container while the mount that carries it stays. A bind of
     * that very file goes. Engines mount a deeper target after the one above it.
     */
    public HostSettings withMaskOver(String file) {
        HostSettings without = withoutMountAt(file);
        List<String> masked = new java.util.ArrayList<>(without.binds);
        masked.add(MASK_SOURCE + ":" + Path.of(file).normalize() + ":ro");
        return new HostSettings(privileged, pidMode, networkMode, ipcMode, utsMode, masked, without.mounts, capAdd, capDrop,
            devices, securityOpt);
    }

    /** These settings without the binds and mounts at {@code target}. */
    public HostSettings withoutMountAt(String target) {
        Path left = Path.of(target).normalize();
        List<String> keptBinds = binds.stream().filter(bind -> !Path.of(bindTarget(bind)).normalize().equals(left)).toList();
        List<MountSpec> keptMounts = mounts.stream().filter(mount -> !Path.of(mount.target()).normalize().equals(left)).toList();
        return new HostSettings(privileged, pidMode, networkMode, ipcMode, utsMode, keptBinds, keptMounts, capAdd, capDrop,
            devices, securityOpt);
    }

    /** What a mask binds over a file: empty to read, on every Linux host. */
    public static final String MASK_SOURCE = "/dev/null";

    /** source:target[:options] */
    private static String bindTarget(String bind) {
        String[] parts = bind.split(":", 3);
        return parts.length > 1 ? parts[1] : parts[0];
    }

    private static <T> List<T> copy(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** A mount given with --mount rather than a bind string. */
    public record MountSpec(String type, String source, String target, boolean readOnly, String propagation) {
    }

    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    }
}
