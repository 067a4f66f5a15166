package dev.waitdaemon.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.waitdaemon.config.Settings;

/**
 * How to call one CLI: in host mode behind {@code nsenter} into the namespaces of the host process
 * NERDCTL_HOST_PID (so the host's CLI, its config and its engine are used), then the executable and
 * its global options. {@link #describe} names the call for messages without quoting its arguments.
 */
public record CliInvocation(CliDialect dialect, List<String> prefix, List<String> globalOptions) {

    public CliInvocation {
        prefix = List.copyOf(prefix);
        globalOptions = List.copyOf(globalOptions);
    }

    /**
     * The host's mount, UTS, IPC, network, pid and cgroup namespaces: the cgroup one too, since a
     * daemonless CLI (podman) creates its containers' cgroups from what /proc/self/cgroup shows, and
     * inside the action's own cgroup namespace that is the wrong place.
     */
    public static CliInvocation of(CliDialect dialect, Settings settings) {
        List<String> prefix = settings.nerdctlHost()
            ? List.of("nsenter", "-t", Integer.toString(settings.nerdctlHostPid()), "-m", "-u", "-i", "-n", "-p", "-C", "--")
            : List.of();
        List<String> global = dialect.usesNamespace() ? List.of("--namespace", settings.nerdctlNamespace()) : List.of();
        return new CliInvocation(dialect, prefix, global);
    }

    public boolean hostMode() {
        return !prefix.isEmpty();
    }

    public List<String> argv(List<String> arguments) {
        return argv(Map.of(), arguments);
    }

    /** With variables set for the CLI alone, through env(1): the host's in host mode, busybox's otherwise. */
    public List<String> argv(Map<String, String> environment, List<String> arguments) {
        List<String> argv = new ArrayList<>(prefix);
        if (!environment.isEmpty()) {
            argv.add("env");
            new TreeMap<>(environment).forEach((name, value) -> argv.add(name + "=" + value));
        }
        argv.add(dialect.executable());
        argv.addAll(globalOptions);
        argv.addAll(arguments);
        return argv;
    }

    /**
     * The call for a message or a log line: the program, its subcommand and how many arguments followed.
     * Never the arguments themselves: the target's command and image options can carry a token.
     */
    public String describe(List<String> arguments) {
        String subcommand = arguments.isEmpty() ? "" : " " + arguments.get(0);
        int more = Math.max(0, arguments.size() - 1);
        return (hostMode() ? "nsenter … " : "") + dialect.executable() + subcommand + " (" + more
            + (more == 1 ? " more argument)" : " more arguments)");
    }
}
