package dev.waitdaemon.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.waitdaemon.config.Settings;

/**
 * How to call one CLI: in host mode behind {@code nsenter} into the namespaces of the host process
 * NERDCTL_HOST_PID (so the host's CLI, its config and its engine are used), then the executable and
 * its global options. {@link #describe} is the same vector with environment values hidden, for messages.
 */
public record CliInvocation(CliDialect dialect, List<String> prefix, List<String> globalOptions) {

    private static final Pattern ENV_OPTION = Pattern.compile("-e|--env");

    public CliInvocation {
        prefix = List.copyOf(prefix);
        globalOptions = List.copyOf(globalOptions);
    }

    public static CliInvocation of(CliDialect dialect, Settings settings) {
        List<String> prefix = settings.nerdctlHost()
            ? List.of("nsenter", "-t", Integer.toString(settings.nerdctlHostPid()), "-m", "-u", "-i", "-n", "-p", "--")
            : List.of();
        List<String> global = dialect.usesNamespace() ? List.of("--namespace", settings.nerdctlNamespace()) : List.of();
        return new CliInvocation(dialect, prefix, global);
    }

    public boolean hostMode() {
        return !prefix.isEmpty();
    }

    public List<String> argv(List<String> arguments) {
        List<String> argv = new ArrayList<>(prefix);
        argv.add(dialect.executable());
        argv.addAll(globalOptions);
        argv.addAll(arguments);
        return argv;
    }

    /** The command for a message: values of {@code -e NAME=value} are replaced, they may be secrets. */
    public String describe(List<String> arguments) {
        List<String> argv = argv(arguments);
        List<String> shown = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            String argument = argv.get(i);
            boolean envValue = i > 0 && ENV_OPTION.matcher(argv.get(i - 1)).matches();
            shown.add(envValue ? argument.replaceFirst("=.*", "=…") : argument);
        }
        return String.join(" ", shown);
    }
}
