package dev.waitdaemon.runtime;

import java.util.List;

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

    private static <T> List<T> copy(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** A mount given with --mount rather than a bind string. */
    public record MountSpec(String type, String source, String target, boolean readOnly, String propagation) {
    }

    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    }
}
