package dev.waitdaemon.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.HostSettings;

/**
 * The {@code create} arguments for a spec, in the syntax docker, podman and nerdctl share. Options end
 * with {@code --} before the image, so neither the image nor the command can be read as an option.
 */
final class CliArguments {

    private CliArguments() {
    }

    /**
     * {@code entrypoint} is what to pass as --entrypoint (null: the image's own); {@code envFile} is
     * where {@link #envFile} was written for the CLI, which reads the environment from it.
     */
    static List<String> create(ContainerSpec spec, String entrypoint, String envFile) {
        List<String> args = new ArrayList<>(List.of("create"));
        HostSettings host = spec.host();
        if (host.privileged()) {
            args.add("--privileged");
        }
        option(args, "--pid", host.pidMode());
        if (host.networkMode() != null && !host.networkMode().equals("default")) {
            option(args, "--network", host.networkMode());
        }
        option(args, "--ipc", host.ipcMode());
        option(args, "--uts", host.utsMode());
        host.binds().forEach(bind -> option(args, "--volume", bind));
        JsonNode inspectedMounts = spec.inherited().hostConfig().path("Mounts");
        host.mounts().forEach(mount -> option(args, "--mount", mountOption(mount, inspectedMounts)));
        host.capAdd().forEach(cap -> option(args, "--cap-add", cap));
        host.capDrop().forEach(cap -> option(args, "--cap-drop", cap));
        host.devices().forEach(device -> option(args, "--device", deviceOption(device)));
        host.securityOpt().forEach(opt -> option(args, "--security-opt", opt));
        if (spec.tty()) {
            args.add("--tty");
        }
        if (!spec.env().isEmpty()) {
            option(args, "--env-file", envFile);
        }
        for (Map.Entry<String, String> label : spec.labels().entrySet()) {
            option(args, "--label", label.getKey() + "=" + label.getValue());
        }
        // Everything else the copied container was given, from the one table of flags.
        args.addAll(CliSettingFlags.of(spec.inherited(), spec.host()).args());
        option(args, "--entrypoint", entrypoint);
        args.add("--");
        args.add(spec.image());
        args.addAll(spec.cmd());
        return args;
    }

    /**
     * The environment in the env-file format docker, podman and nerdctl share: NAME=value a line, taken
     * verbatim. A value with a line break cannot be written so, and is refused by name (never by value).
     */
    static String envFile(List<String> env) {
        StringBuilder file = new StringBuilder();
        for (String entry : env) {
            if (entry.indexOf('\n') >= 0 || entry.indexOf('\r') >= 0) {
                String name = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry;
                throw new EngineException(0, "the value of " + name + " has a line break, which a CLI's env file cannot "
                    + "carry: use the Docker API runtime (mount the engine's socket), or remove the line break");
            }
            file.append(entry).append('\n');
        }
        return file.toString();
    }

    private static void option(List<String> args, String name, String value) {
        if (value != null && !value.isEmpty()) {
            args.add(name);
            args.add(value);
        }
    }

    /**
     * The mount's --mount option, with what the records do not hold taken from the inspected mount at the
     * same target: a tmpfs's size and mode, a volume's no-copy.
     */
    private static String mountOption(HostSettings.MountSpec mount, JsonNode inspectedMounts) {
        StringBuilder option = new StringBuilder("type=").append(mount.type() == null ? "bind" : mount.type());
        if (mount.source() != null && !mount.source().isEmpty()) {
            option.append(",source=").append(mount.source());
        }
        option.append(",target=").append(mount.target());
        if (mount.readOnly()) {
            option.append(",readonly");
        }
        if (mount.propagation() != null && !mount.propagation().isEmpty()) {
            option.append(",bind-propagation=").append(mount.propagation());
        }
        for (JsonNode inspected : inspectedMounts) {
            if (mount.target().equals(inspected.path("Target").asText())) {
                JsonNode tmpfs = inspected.path("TmpfsOptions");
                if (tmpfs.path("SizeBytes").asLong() > 0) {
                    option.append(",tmpfs-size=").append(tmpfs.path("SizeBytes").asLong());
                }
                if (tmpfs.path("Mode").asInt() > 0) {
                    option.append(",tmpfs-mode=").append(Integer.toOctalString(tmpfs.path("Mode").asInt()));
                }
                if (inspected.path("VolumeOptions").path("NoCopy").asBoolean(false)) {
                    option.append(",volume-nocopy");
                }
            }
        }
        return option.toString();
    }

    private static String deviceOption(HostSettings.DeviceMapping device) {
        String target = device.pathInContainer() == null || device.pathInContainer().isEmpty()
            ? device.pathOnHost() : device.pathInContainer();
        String permissions = device.cgroupPermissions() == null || device.cgroupPermissions().isEmpty()
            ? "" : ":" + device.cgroupPermissions();
        return device.pathOnHost() + ":" + target + permissions;
    }
}
