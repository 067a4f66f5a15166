package dev.waitdaemon.dryrun;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.support.EnvEntries;

/**
 * A container the dry run would create, as text an operator reads: every part of it, the
 * environment's names only (a value can be a password).
 */
public final class PlanText {

    private static final String INDENT = "  ";

    private PlanText() {
    }

    public static List<String> render(String title, ContainerSpec spec) {
        List<String> lines = new ArrayList<>();
        lines.add(title);
        HostSettings host = spec.host();
        field(lines, "image", spec.image());
        field(lines, "entrypoint", spec.entrypoint() == null ? "(the image's own)" : quoted(spec.entrypoint()));
        field(lines, "command", spec.cmd().isEmpty() ? "(the image's default)" : quoted(spec.cmd()));
        field(lines, "environment", spec.env().isEmpty() ? "(none)"
            : spec.env().stream().map(EnvEntries::nameOf).sorted().collect(Collectors.joining(", ")) + " (values hidden)");
        field(lines, "binds", spec.host().binds().isEmpty() ? "(none)" : String.join(", ", host.binds()));
        field(lines, "mounts", host.mounts().isEmpty() ? "(none)"
            : host.mounts().stream().map(PlanText::mount).collect(Collectors.joining(", ")));
        field(lines, "modes", "pid=" + mode(host.pidMode()) + " network=" + mode(host.networkMode()) + " ipc="
            + mode(host.ipcMode()) + " uts=" + mode(host.utsMode()));
        field(lines, "privileged", host.privileged() ? "yes" : "no");
        if (!host.capAdd().isEmpty() || !host.capDrop().isEmpty()) {
            field(lines, "capabilities", "add " + host.capAdd() + ", drop " + host.capDrop());
        }
        if (!host.devices().isEmpty()) {
            field(lines, "devices", host.devices().stream()
                .map(device -> device.pathOnHost() + ":" + device.pathInContainer() + ":" + device.cgroupPermissions())
                .collect(Collectors.joining(", ")));
        }
        if (!host.securityOpt().isEmpty()) {
            field(lines, "security options", String.join(", ", host.securityOpt()));
        }
        field(lines, "labels", spec.labels().entrySet().stream().map(label -> label.getKey() + "=" + label.getValue())
            .collect(Collectors.joining(", ")));
        field(lines, "tty", spec.tty() ? "yes" : "no");
        List<String> inherited = spec.inherited().meaningful();
        field(lines, "also inherited", inherited.isEmpty() ? "(nothing else)" : String.join(", ", inherited));
        return lines;
    }

    private static void field(List<String> lines, String name, String value) {
        lines.add(INDENT + name + ": " + value);
    }

    private static String mode(String mode) {
        return mode == null || mode.isEmpty() ? "(engine default)" : mode;
    }

    private static String mount(HostSettings.MountSpec mount) {
        return "type=" + mount.type() + ",source=" + mount.source() + ",target=" + mount.target()
            + (mount.readOnly() ? ",readonly" : "") + (mount.propagation() == null ? "" : ",bind-propagation=" + mount.propagation());
    }

    /** Each word in double quotes, so that spaces and empty words show. */
    private static String quoted(List<String> words) {
        return words.stream().map(word -> "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
            .collect(Collectors.joining(" ", "[", "]"));
    }
}
