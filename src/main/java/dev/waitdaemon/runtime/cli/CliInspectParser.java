package dev.waitdaemon.runtime.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerInfo.Unreported;
import dev.waitdaemon.runtime.ContainerStatus;
import dev.waitdaemon.runtime.ContainerSummary;
import dev.waitdaemon.runtime.EngineTimes;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.InheritedSettings;

/**
 * Reads {@code container inspect} and {@code image inspect} output of docker, podman and nerdctl.
 * They share docker's shape with differences handled here: podman prints Config.Entrypoint as one
 * string; nerdctl's "dockercompat" form has Mounts instead of HostConfig.Binds (with its own
 * resolv.conf, hosts and hostname among them), and leaves out Config.Env, Config.Cmd,
 * HostConfig.Privileged, the host pid mode and the network mode, which are then marked unreported.
 */
final class CliInspectParser {

    /** Files the engine itself bind-mounts into every container; the clone and target get their own. */
    private static final Set<String> ENGINE_FILES = Set.of("/etc/resolv.conf", "/etc/hosts", "/etc/hostname");

    private CliInspectParser() {
    }

    /** The first (only) element of an inspect array, or the object itself. */
    static JsonNode first(JsonNode output) {
        return output.isArray() ? output.path(0) : output;
    }

    static ContainerInfo container(JsonNode container) {
        JsonNode config = container.path("Config");
        JsonNode hostConfig = container.path("HostConfig");
        Set<Unreported> unreported = EnumSet.noneOf(Unreported.class);

        List<String> env = strings(config.get("Env"));
        if (!config.has("Env")) {
            unreported.add(Unreported.ENV);
        }
        List<String> cmd = strings(config.get("Cmd"));
        if (!config.has("Cmd") || cmd.isEmpty() && container.path("Args").size() > 0) {
            // nerdctl may leave Config.Cmd out or empty while the process's Path and Args hold the command
            unreported.add(Unreported.COMMAND);
        }
        if (!hostConfig.has("Privileged")) {
            unreported.add(Unreported.PRIVILEGED);
        }
        String pidMode = text(hostConfig.get("PidMode"));
        if (pidMode == null) {
            // nerdctl reports only container:<id>; host or private cannot be told from its output.
            unreported.add(Unreported.PID_MODE);
        }
        String networkMode = text(hostConfig.get("NetworkMode"));
        if (!hostConfig.has("NetworkMode")) {
            unreported.add(Unreported.NETWORK_MODE);
        }

        List<String> binds = hostConfig.has("Binds") && !hostConfig.get("Binds").isNull()
            ? strings(hostConfig.get("Binds")) : bindsFromMounts(container.path("Mounts"));
        HostSettings host = new HostSettings(hostConfig.path("Privileged").asBoolean(false), pidMode, networkMode,
            text(hostConfig.get("IpcMode")), text(hostConfig.get("UTSMode")), binds, mounts(hostConfig.get("Mounts")),
            strings(hostConfig.get("CapAdd")), strings(hostConfig.get("CapDrop")), devices(hostConfig.get("Devices")),
            strings(hostConfig.get("SecurityOpt")));
        return new ContainerInfo(container.path("Id").asText(), container.path("Image").asText(),
            entrypoint(config.get("Entrypoint")), cmd, env, labels(config.get("Labels")),
            config.path("Tty").asBoolean(false), host, unreported, InheritedSettings.of(config, hostConfig),
            container.at("/GraphDriver/Data/UpperDir").asText(null));
    }

    static ContainerSummary summary(JsonNode container) {
        JsonNode created = container.path("Created");
        Instant when = created.isNumber() ? Instant.ofEpochSecond(created.asLong())
            : created.isTextual() ? OffsetDateTime.parse(created.asText()).toInstant() : Instant.EPOCH;
        return new ContainerSummary(container.path("Id").asText(), container.path("State").path("Running").asBoolean(false),
            when, labels(container.path("Config").get("Labels")));
    }

    /**
     * The image as it was named: Config.Image (docker, podman), else podman's ImageName, else nerdctl's
     * Image, which is the name there (docker's is the id).
     */
    static ContainerStatus status(JsonNode container) {
        JsonNode state = container.path("State");
        boolean running = state.path("Running").asBoolean(false);
        String image = firstText(container.path("Config").path("Image"), container.path("ImageName"), container.path("Image"));
        Optional<Instant> created = created(container.path("Created"));
        // An exit code means something only for a container that ran and finished.
        Optional<Instant> finished = running ? Optional.empty() : EngineTimes.parse(state.path("FinishedAt").asText(null));
        String status = state.path("Status").asText(running ? "running" : "unknown");
        return new ContainerStatus(container.path("Id").asText(), image, status,
            running ? state.path("Pid").asLong(0) : 0,
            finished.isPresent() && state.path("ExitCode").canConvertToInt()
                ? Optional.of(state.path("ExitCode").asInt()) : Optional.empty(),
            created, EngineTimes.parse(state.path("StartedAt").asText(null)), finished,
            labels(container.path("Config").get("Labels")));
    }

    private static Optional<Instant> created(JsonNode created) {
        return created.isNumber() ? Optional.of(Instant.ofEpochSecond(created.asLong()))
            : created.isTextual() ? EngineTimes.parse(created.asText()) : Optional.empty();
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node.isTextual() && !node.asText().isBlank()) {
                return node.asText();
            }
        }
        return "";
    }

    static ImageInfo image(JsonNode image) {
        JsonNode config = image.path("Config");
        return new ImageInfo(image.path("Id").asText(), strings(config.get("Env")), entrypoint(config.get("Entrypoint")),
            strings(image.get("RepoDigests")), InheritedSettings.of(config, null));
    }

    /** An array as it is; podman's single string cannot be split faithfully, so it counts as unknown. */
    private static List<String> entrypoint(JsonNode node) {
        if (node == null || !node.isArray()) {
            return null;
        }
        return strings(node);
    }

    /** nerdctl's Mounts as bind strings: source:destination[:ro][,propagation]. */
    static List<String> bindsFromMounts(JsonNode mounts) {
        List<String> binds = new ArrayList<>();
        for (JsonNode mount : iterable(mounts)) {
            String type = mount.path("Type").asText("bind");
            String destination = mount.path("Destination").asText();
            if (!type.equals("bind") || ENGINE_FILES.contains(destination) || destination.isEmpty()) {
                continue;
            }
            List<String> options = new ArrayList<>();
            if (!mount.path("RW").asBoolean(true)) {
                options.add("ro");
            }
            String propagation = mount.path("Propagation").asText("");
            if (!propagation.isEmpty()) {
                options.add(propagation);
            }
            binds.add(mount.path("Source").asText() + ":" + destination + (options.isEmpty() ? "" : ":" + String.join(",", options)));
        }
        return binds;
    }

    private static List<HostSettings.MountSpec> mounts(JsonNode mounts) {
        List<HostSettings.MountSpec> result = new ArrayList<>();
        for (JsonNode mount : iterable(mounts)) {
            result.add(new HostSettings.MountSpec(text(mount.get("Type")), text(mount.get("Source")),
                text(mount.get("Target")), mount.path("ReadOnly").asBoolean(false),
                text(mount.path("BindOptions").get("Propagation"))));
        }
        return result;
    }

    private static List<HostSettings.DeviceMapping> devices(JsonNode devices) {
        List<HostSettings.DeviceMapping> result = new ArrayList<>();
        for (JsonNode device : iterable(devices)) {
            result.add(new HostSettings.DeviceMapping(text(device.get("PathOnHost")), text(device.get("PathInContainer")),
                text(device.get("CgroupPermissions"))));
        }
        return result;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(field -> labels.put(field.getKey(), field.getValue().asText()));
        }
        return labels;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : iterable(node)) {
            values.add(value.asText());
        }
        return values;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null || !node.isArray() ? List.of() : node;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }
}
