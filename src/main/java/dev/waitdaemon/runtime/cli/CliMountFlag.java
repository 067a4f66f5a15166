package dev.waitdaemon.runtime.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.waitdaemon.runtime.HostSettings.MountSpec;
import dev.waitdaemon.runtime.InheritedSettings;

/**
 * One {@code --mount} value for a CLI: the spec's mount, with what the engine reported of it beside the
 * records (bind and volume options, tmpfs size and mode) in that CLI's spelling.
 * <ul>
 * <li>docker and podman read the value as one CSV record (docker 20.10 and podman 4.3, measured: a
 * quoted field keeps its commas, a doubled quote is a quote), so a field holding either is quoted.</li>
 * <li>nerdctl 2.2.1 splits the value at every comma and joins source, target and options with colons
 * for its -v parser (pkg/mountutil in its source); it knows type, source, target, readonly,
 * bind-propagation, bind-nonrecursive, tmpfs-size and tmpfs-mode, and refuses any other key.</li>
 * </ul>
 * {@code problems} name what would reach the container wider than the action had it (a volume's subpath,
 * a read-only bind's recursion) or not at all: the first fork refuses those. {@code uncarried} names
 * options that only shape the creation of a volume that exists by now, left out.
 */
record CliMountFlag(String value, List<String> problems, List<String> uncarried) {

    static CliMountFlag of(CliDialect dialect, MountSpec mount, JsonNode inspectedMounts) {
        JsonNode inspected = inspected(mount, inspectedMounts);
        String where = "the mount at " + mount.target();
        List<String> fields = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> uncarried = new ArrayList<>();
        fields.add("type=" + (mount.type() == null ? "bind" : mount.type()));
        if (mount.source() != null && !mount.source().isEmpty()) {
            fields.add("source=" + mount.source());
        }
        fields.add("target=" + mount.target());
        if (mount.readOnly()) {
            fields.add("readonly");
        }
        if (mount.propagation() != null && !mount.propagation().isEmpty()) {
            fields.add("bind-propagation=" + mount.propagation());
        }
        JsonNode bind = inspected.path("BindOptions");
        if (bind.path("NonRecursive").asBoolean(false)) {
            fields.add("bind-nonrecursive");
        }
        recursion(dialect, bind, fields, problems, where);
        if (bind.path("CreateMountpoint").asBoolean(false)) {
            uncarried.add(where + ": BindOptions.CreateMountpoint (the source exists: the action has it)");
        }
        JsonNode tmpfs = inspected.path("TmpfsOptions");
        if (tmpfs.path("SizeBytes").asLong() > 0) {
            fields.add("tmpfs-size=" + tmpfs.path("SizeBytes").asLong());
        }
        if (tmpfs.path("Mode").asInt() > 0) {
            fields.add("tmpfs-mode=" + Integer.toOctalString(tmpfs.path("Mode").asInt()));
        }
        JsonNode volume = inspected.path("VolumeOptions");
        String subpath = volume.path("Subpath").asText("");
        if (!subpath.isEmpty()) {
            if (dialect == CliDialect.DOCKER) {
                fields.add("volume-subpath=" + subpath);
            } else {
                problems.add(where + ": " + dialect.executable() + "'s --mount has no volume-subpath, and without it the whole volume would be mounted");
            }
        }
        if (volume.path("NoCopy").asBoolean(false)) {
            if (dialect == CliDialect.NERDCTL) {
                uncarried.add(where + ": VolumeOptions.NoCopy (the volume exists: nothing would be copied)");
            } else {
                fields.add("volume-nocopy");
            }
        }
        for (String creationOnly : List.of("DriverConfig", "Labels")) {
            if (InheritedSettings.meaningful(volume.path(creationOnly))) {
                uncarried.add(where + ": VolumeOptions." + creationOnly + " (they shape a volume's creation, and it exists)");
            }
        }
        return new CliMountFlag(render(dialect, fields, problems, where), List.copyOf(problems), List.copyOf(uncarried));
    }

    /** A read-only bind's submounts: read-only too (ReadOnlyForceRecursive) or left writable (ReadOnlyNonRecursive). */
    private static void recursion(CliDialect dialect, JsonNode bind, List<String> fields, List<String> problems, String where) {
        String recursion = bind.path("ReadOnlyForceRecursive").asBoolean(false) ? "readonly"
            : bind.path("ReadOnlyNonRecursive").asBoolean(false) ? "writable" : null;
        if (recursion == null) {
            return;
        }
        if (dialect == CliDialect.DOCKER) {
            fields.add("bind-recursive=" + recursion);
        } else {
            problems.add(where + ": " + dialect.executable() + "'s --mount cannot say bind-recursive=" + recursion);
        }
    }

    private static String render(CliDialect dialect, List<String> fields, List<String> problems, String where) {
        if (dialect == CliDialect.NERDCTL) {
            // Its fields are split at commas, and source and target are joined with colons again.
            boolean split = fields.stream().anyMatch(field -> field.contains(","))
                || fields.stream().filter(field -> field.startsWith("source=") || field.startsWith("target="))
                    .anyMatch(field -> field.contains(":"));
            if (split) {
                problems.add(where + ": nerdctl's --mount cannot hold a comma, or a colon in a path");
            }
            return String.join(",", fields);
        }
        List<String> quoted = new ArrayList<>();
        for (String field : fields) {
            quoted.add(field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                ? "\"" + field.replace("\"", "\"\"") + "\"" : field);
        }
        return String.join(",", quoted);
    }

    private static JsonNode inspected(MountSpec mount, JsonNode inspectedMounts) {
        for (JsonNode candidate : inspectedMounts) {
            if (mount.target().equals(candidate.path("Target").asText())) {
                return candidate;
            }
        }
        return MissingNode.getInstance();
    }
}
