package dev.waitdaemon.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.support.EnvEntries;

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
    static List<String> create(CliDialect dialect, ContainerSpec spec, String entrypoint, String envFile) {
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
        host.mounts().forEach(mount -> option(args, "--mount", CliMountFlag.of(dialect, mount, inspectedMounts).value()));
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
     * verbatim. An entry the dialect would not read back byte for byte is refused by name (never by value);
     * the first fork checks them all before it creates anything ({@link #envFileProblems}).
     */
    static String envFile(CliDialect dialect, List<String> env) {
        List<String> problems = envFileProblems(dialect, env);
        if (!problems.isEmpty()) {
            throw new EngineException(0, String.join("; ", problems));
        }
        StringBuilder file = new StringBuilder();
        env.forEach(entry -> file.append(entry).append('\n'));
        return file.toString();
    }

    /** What the dialect's --mount values cannot give {@code spec}'s mounts as the action has them, by mount. */
    static List<String> mountProblems(CliDialect dialect, ContainerSpec spec) {
        JsonNode inspected = spec.inherited().hostConfig().path("Mounts");
        return spec.host().mounts().stream().flatMap(mount -> CliMountFlag.of(dialect, mount, inspected).problems().stream()).toList();
    }

    /** The mount options left out, by mount: they only shape the creation of a volume that exists. */
    static List<String> mountsUncarried(CliDialect dialect, ContainerSpec spec) {
        JsonNode inspected = spec.inherited().hostConfig().path("Mounts");
        return spec.host().mounts().stream().flatMap(mount -> CliMountFlag.of(dialect, mount, inspected).uncarried().stream()).toList();
    }

    /** One line for each entry of {@code env} the dialect's env file would not carry as it is, by name. */
    static List<String> envFileProblems(CliDialect dialect, List<String> env) {
        List<String> problems = new ArrayList<>();
        for (String entry : env) {
            String name = EnvEntries.nameOf(entry);
            dialect.envFileProblem(entry).ifPresent(why -> problems.add(name + ": " + why));
        }
        return problems;
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
    private static String deviceOption(HostSettings.DeviceMapping device) {
        String target = device.pathInContainer() == null || device.pathInContainer().isEmpty()
            ? device.pathOnHost() : device.pathInContainer();
        String permissions = device.cgroupPermissions() == null || device.cgroupPermissions().isEmpty()
            ? "" : ":" + device.cgroupPermissions();
        return device.pathOnHost() + ":" + target + permissions;
    }
}
