package dev.waitdaemon.runtime.docker;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.ContainerStatus;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.EngineTimes;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.InheritedSettings;
import dev.waitdaemon.runtime.HostSettings.DeviceMapping;
import dev.waitdaemon.runtime.HostSettings.MountSpec;
import dev.waitdaemon.runtime.docker.DockerModel.BindOptions;
import dev.waitdaemon.runtime.docker.DockerModel.ContainerConfig;
import dev.waitdaemon.runtime.docker.DockerModel.ContainerInspect;
import dev.waitdaemon.runtime.docker.DockerModel.ContainerState;
import dev.waitdaemon.runtime.docker.DockerModel.Device;
import dev.waitdaemon.runtime.docker.DockerModel.HostConfig;
import dev.waitdaemon.runtime.docker.DockerModel.ImageInspect;
import dev.waitdaemon.runtime.docker.DockerModel.Mount;

/** Translates between Docker's payloads and the runtime-neutral records. Pure, so fixtures test it. */
final class DockerMapping {

    private static final String CONFIG = "Config";
    private static final String HOST_CONFIG = "HostConfig";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String BIND_OPTIONS = "BindOptions";
    private static final String PROPAGATION = "Propagation";
    /** Reads trees into the records (pure data binding; the REST client's own mapper reads the rest). */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DockerMapping() {
    }

    /** An inspect read as records, with its whole Config and HostConfig kept for a copy. */
    static ContainerInfo toContainerInfo(JsonNode tree) {
        ContainerInfo info = toContainerInfo(read(tree, ContainerInspect.class));
        return new ContainerInfo(info.id(), info.imageId(), info.entrypoint(), info.cmd(), info.env(), info.labels(),
            info.tty(), info.host(), info.unreported(), InheritedSettings.of(tree.get(CONFIG), tree.get(HOST_CONFIG)),
            tree.at("/GraphDriver/Data/UpperDir").asText(null));
    }

    static ContainerInfo toContainerInfo(ContainerInspect inspect) {
        ContainerConfig config = inspect.config() == null
            ? new ContainerConfig(null, null, null, null, null, null) : inspect.config();
        HostConfig host = inspect.hostConfig() == null
            ? new HostConfig(null, null, null, null, null, null, null, null, null, null, null) : inspect.hostConfig();
        return new ContainerInfo(inspect.id(), inspect.image(), config.entrypoint(), config.cmd(), config.env(),
            config.labels(), Boolean.TRUE.equals(config.tty()), toHostSettings(host));
    }

    static ImageInfo toImageInfo(JsonNode tree) {
        ImageInspect inspect = read(tree, ImageInspect.class);
        InheritedSettings defaults = InheritedSettings.of(tree.get(CONFIG), null);
        return inspect.config() == null ? new ImageInfo(inspect.id(), null, null, inspect.repoDigests(), defaults)
            : new ImageInfo(inspect.id(), inspect.config().env(), inspect.config().entrypoint(), inspect.repoDigests(), defaults);
    }

    static ContainerStatus toStatus(ContainerInspect inspect) {
        ContainerConfig config = inspect.config();
        ContainerState state = inspect.state() == null
            ? new ContainerState(null, null, null, null, null, null) : inspect.state();
        boolean running = Boolean.TRUE.equals(state.running());
        // An exit code means something only for a container that ran and finished.
        Optional<Instant> finished = running ? Optional.empty() : EngineTimes.parse(state.finishedAt());
        return new ContainerStatus(inspect.id(), config == null ? inspect.image() : config.image(),
            state.status() == null ? (running ? "running" : "unknown") : state.status(),
            running && state.pid() != null ? state.pid() : 0,
            finished.isPresent() ? Optional.ofNullable(state.exitCode()) : Optional.empty(),
            EngineTimes.parse(inspect.created()), EngineTimes.parse(state.startedAt()), finished,
            config == null ? null : config.labels());
    }

    static HostSettings toHostSettings(HostConfig host) {
        return new HostSettings(Boolean.TRUE.equals(host.privileged()), blankToNull(host.pidMode()),
            blankToNull(host.networkMode()), blankToNull(host.ipcMode()), blankToNull(host.utsMode()), host.binds(),
            map(host.mounts(), mount -> new MountSpec(mount.type(), mount.source(), mount.target(),
                Boolean.TRUE.equals(mount.readOnly()),
                mount.bindOptions() == null ? null : mount.bindOptions().propagation())),
            host.capAdd(), host.capDrop(),
            map(host.devices(), device -> new DeviceMapping(device.pathOnHost(), device.pathInContainer(),
                device.cgroupPermissions())),
            host.securityOpt());
    }

    /**
     * The create request: the copied container's Config (at the top level, as the API takes it) and
     * HostConfig as inspected, with the spec's own fields laid over them. A spec field that is empty
     * or null removes the inspected one, so that the engine's default applies, as it did for the copy.
     */
    static ObjectNode toCreateRequest(ContainerSpec spec) {
        InheritedSettings inherited = spec.inherited().forCreate(spec.host());
        ObjectNode request = inherited.config();
        put(request, "Image", TextNode.valueOf(spec.image()));
        put(request, "Entrypoint", spec.entrypoint() == null ? null : strings(spec.entrypoint()));
        put(request, "Cmd", spec.cmd().isEmpty() ? null : strings(spec.cmd()));
        put(request, "Env", strings(spec.env()));
        ObjectNode labels = JSON.objectNode();
        spec.labels().forEach(labels::put);
        put(request, "Labels", labels);
        put(request, "Tty", BooleanNode.valueOf(spec.tty()));

        HostSettings host = spec.host();
        ObjectNode hostConfig = inherited.hostConfig();
        put(hostConfig, "Privileged", BooleanNode.valueOf(host.privileged()));
        put(hostConfig, "PidMode", text(host.pidMode()));
        put(hostConfig, "NetworkMode", text(host.networkMode()));
        put(hostConfig, "IpcMode", text(host.ipcMode()));
        put(hostConfig, "UTSMode", text(host.utsMode()));
        put(hostConfig, "Binds", host.binds().isEmpty() ? null : strings(host.binds()));
        put(hostConfig, "Mounts", host.mounts().isEmpty() ? null : mounts(host.mounts(), hostConfig.get("Mounts")));
        put(hostConfig, "CapAdd", host.capAdd().isEmpty() ? null : strings(host.capAdd()));
        put(hostConfig, "CapDrop", host.capDrop().isEmpty() ? null : strings(host.capDrop()));
        put(hostConfig, "Devices", host.devices().isEmpty() ? null : MAPPER.<JsonNode>valueToTree(map(host.devices(),
            device -> new Device(device.pathOnHost(), device.pathInContainer(), device.cgroupPermissions()))));
        put(hostConfig, "SecurityOpt", host.securityOpt().isEmpty() ? null : strings(host.securityOpt()));
        request.set(HOST_CONFIG, hostConfig);
        return request;
    }

    /**
     * The spec's mounts, each laid over the inspected mount at the same target: what the records do not
     * hold (tmpfs size and mode, volume options, consistency) is kept.
     */
    private static ArrayNode mounts(List<HostSettings.MountSpec> mounts, JsonNode inspected) {
        ArrayNode result = JSON.arrayNode();
        for (HostSettings.MountSpec mount : mounts) {
            ObjectNode node = JSON.objectNode();
            if (inspected != null && inspected.isArray()) {
                for (JsonNode candidate : inspected) {
                    if (candidate.isObject() && mount.target().equals(candidate.path("Target").asText())) {
                        node = ((ObjectNode) candidate).deepCopy();
                        break;
                    }
                }
            }
            // The bind options beside propagation (NonRecursive, ReadOnlyNonRecursive, ReadOnlyForceRecursive,
            // CreateMountpoint, ...) are the inspected ones: bind-recursive=disabled must stay non-recursive.
            ObjectNode bindOptions = node.get(BIND_OPTIONS) instanceof ObjectNode inspectedOptions
                ? inspectedOptions.deepCopy() : JSON.objectNode();
            node.setAll((ObjectNode) MAPPER.valueToTree(new Mount(mount.type(), mount.source(), mount.target(),
                mount.readOnly(), null)));
            bindOptions.remove(PROPAGATION);
            if (mount.propagation() != null) {
                bindOptions.put(PROPAGATION, mount.propagation());
            }
            put(node, BIND_OPTIONS, bindOptions.isEmpty() ? null : bindOptions);
            result.add(node);
        }
        return result;
    }

    private static void put(ObjectNode node, String field, JsonNode value) {
        if (value == null || value.isNull()) {
            node.remove(field);
        } else {
            node.set(field, value);
        }
    }

    private static JsonNode text(String value) {
        return value == null || value.isEmpty() ? null : TextNode.valueOf(value);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JSON.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static <T> T read(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new EngineException("the engine's answer could not be read as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static <A, B> List<B> map(List<A> values, Function<A, B> mapper) {
        return values == null ? List.of() : values.stream().map(mapper).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
