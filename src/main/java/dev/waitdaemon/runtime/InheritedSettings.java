package dev.waitdaemon.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Everything the engine reported of a container's configuration, in the Docker Engine API's shape
 * ({@code Config} and {@code HostConfig} of an inspect), kept whole: a clone and a target are created
 * from it, so a setting waitdaemon has never heard of (one a future engine adds) is carried too. The
 * records beside it ({@link ContainerInfo}, {@link HostSettings}) are what the phases read and change;
 * on creation they are laid over this. Immutable: every accessor returns a copy.
 */
public final class InheritedSettings {

    /**
     * The fields that {@link ContainerSpec} and {@link HostSettings} hold (in the engine's spelling): on
     * creation the records' values are laid over these, so the inherited ones never count.
     */
    public static final Set<String> RECORD_FIELDS = Set.of("Image", "Entrypoint", "Cmd", "Env", "Labels", "Tty",
        "Binds", "Mounts", "PidMode", "NetworkMode", "IpcMode", "UTSMode", "Privileged", "CapAdd", "CapDrop", "Devices",
        "SecurityOpt");

    /**
     * Reported by the engines but no setting of the container's: how a CLI attached to it, what its
     * image declares (the image gives them again), the defaults an engine derives from other settings
     * (the masked paths follow --privileged), Windows-only fields, and what podman adds to describe
     * itself — among them CreateCommand, the whole command line the container was created with, values
     * of its environment included: never shown, never carried.
     */
    public static final Set<String> ENGINE_FACTS = Set.of("AttachStdin", "AttachStdout", "AttachStderr", "StdinOnce",
        "Volumes", "OnBuild", "ArgsEscaped", "Shell", "MaskedPaths", "ReadonlyPaths", "ConsoleSize", "Isolation",
        "CpuCount", "CpuPercent", "IOMaximumIOps", "IOMaximumBandwidth", "CreateCommand", "Annotations", "Umask",
        "Timezone", "Passwd", "sdNotifyMode", "HealthcheckOnFailureAction", "CgroupManager", "CgroupMode");

    /** Settings whose value (or that part of it; "" for all of it) can hold a secret. */
    private static final Map<String, String> SECRET_PARTS = Map.of("LogConfig", "Config", "Healthcheck", "Test", "OnBuild", "");
    private static final JsonNode HIDDEN = JsonNodeFactory.instance.textNode("(hidden)");
    private static final InheritedSettings NONE = new InheritedSettings(JsonNodeFactory.instance.objectNode(),
        JsonNodeFactory.instance.objectNode());

    private final ObjectNode config;
    private final ObjectNode hostConfig;

    private InheritedSettings(ObjectNode config, ObjectNode hostConfig) {
        this.config = config;
        this.hostConfig = hostConfig;
    }

    /** Nothing reported (a dry run outside any container, an engine whose inspect has no such shape). */
    public static InheritedSettings none() {
        return NONE;
    }

    /** From an inspect's {@code Config} and {@code HostConfig}; anything that is not an object counts as empty. */
    public static InheritedSettings of(JsonNode config, JsonNode hostConfig) {
        return new InheritedSettings(objectCopy(config), objectCopy(hostConfig));
    }

    public ObjectNode config() {
        return config.deepCopy();
    }

    public ObjectNode hostConfig() {
        return hostConfig.deepCopy();
    }

    /** These settings less the named fields of {@code Config} and of {@code HostConfig}. */
    public InheritedSettings without(Set<String> configFields, Set<String> hostConfigFields) {
        ObjectNode keptConfig = config();
        keptConfig.remove(configFields);
        ObjectNode keptHostConfig = hostConfig();
        keptHostConfig.remove(hostConfigFields);
        return new InheritedSettings(keptConfig, keptHostConfig);
    }

    /**
     * The fields beyond the records' that say something (not null, empty, zero or false), as
     * {@code Name=value} in the engine's JSON: what a dry run lists as inherited.
     */
    public List<String> meaningful() {
        List<String> fields = new ArrayList<>();
        for (ObjectNode node : List.of(config, hostConfig)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!RECORD_FIELDS.contains(field.getKey()) && !ENGINE_FACTS.contains(field.getKey())
                    && meaningful(field.getValue())) {
                    fields.add(field.getKey() + "=" + shown(field.getKey(), field.getValue()));
                }
            }
        }
        return fields.stream().sorted().toList();
    }

    /**
     * A setting's value as it may be shown, with the parts that can hold a secret hidden: a log driver's
     * options (splunk-token, an address with a password; their names stay), a health check's command
     * (curl -u user:password), ONBUILD's commands.
     */
    static JsonNode shown(String name, JsonNode value) {
        String secretPart = SECRET_PARTS.get(name);
        if (secretPart == null) {
            return value;
        }
        if (secretPart.isEmpty() || !value.isObject() || !value.has(secretPart)) {
            return HIDDEN;
        }
        ObjectNode copy = ((ObjectNode) value).deepCopy();
        JsonNode part = copy.get(secretPart);
        if (part.isObject()) {
            ObjectNode names = JsonNodeFactory.instance.objectNode();
            part.fieldNames().forEachRemaining(option -> names.set(option, HIDDEN));
            copy.set(secretPart, names);
        } else {
            copy.set(secretPart, HIDDEN);
        }
        return copy;
    }

    /** Whether a value says something: not null, nor empty, zero or false (nor made only of such). */
    public static boolean meaningful(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isContainerNode()) {
            for (JsonNode element : value) {
                if (meaningful(element)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isNumber()) {
            return value.asDouble() != 0;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return !value.asText().isEmpty();
    }

    /**
     * These settings as an engine's create takes them back beside {@code records}, where podman reports
     * them otherwise: a ulimit by the kernel's name (RLIMIT_NOFILE), which its create refuses (nofile);
     * --cpus both as NanoCpus and as the CpuPeriod and CpuQuota it derives from it, which its create
     * refuses together; and its default ShmSize even where the IPC namespace is the host's or another
     * container's, which its create refuses (there is no /dev/shm of the container's own to size).
     */
    public InheritedSettings forCreate(HostSettings records) {
        ObjectNode host = hostConfig();
        String ipcMode = records.ipcMode() == null ? "" : records.ipcMode();
        if (ipcMode.equals("host") || ipcMode.startsWith("container:")) {
            host.remove("ShmSize");
        }
        JsonNode ulimits = host.get("Ulimits");
        if (ulimits != null && ulimits.isArray()) {
            for (JsonNode ulimit : ulimits) {
                String name = ulimit.path("Name").asText();
                if (ulimit.isObject() && name.startsWith("RLIMIT_")) {
                    ((ObjectNode) ulimit).put("Name", name.substring("RLIMIT_".length()).toLowerCase(Locale.ROOT));
                }
            }
        }
        if (host.path("NanoCpus").asLong() > 0) {
            host.remove(List.of("CpuPeriod", "CpuQuota"));
        }
        return new InheritedSettings(config(), host);
    }

    private static ObjectNode objectCopy(JsonNode node) {
        return node != null && node.isObject() ? ((ObjectNode) node).deepCopy() : JsonNodeFactory.instance.objectNode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InheritedSettings that && config.equals(that.config) && hostConfig.equals(that.hostConfig);
    }

    @Override
    public int hashCode() {
        return config.hashCode() * 31 + hostConfig.hashCode();
    }

    @Override
    public String toString() {
        return "InheritedSettings[Config=" + config + ", HostConfig=" + hostConfig + "]";
    }
}
