package dev.waitdaemon.runtime.containerd;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.InheritedSettings;
import dev.waitdaemon.runtime.OwnContainer;

/**
 * containerd's records in the seam's terms, and back: what the phases read of a container (its process,
 * its namespaces and binds, for the plan and the dry run) comes from its OCI spec; what they change (the
 * process, the masks) goes back into that same spec. Nothing else of the spec is translated.
 */
final class ContainerdMapping {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where tink-agent writes an action's resolv.conf, hosts and hostname (os.MkdirTemp("", "tink-dns-")), removed after it. */
    static final String AGENT_FILES_PREFIX = "/tmp/tink-dns-";

    private ContainerdMapping() {
    }

    /**
     * The container as the phases read it. The process's arguments are split at the image's entrypoint
     * ({@code imageEntrypoint}: the arguments start with it) into entrypoint and command, as Docker reports
     * them: the command is what the template wrote, the target's Cmd.
     */
    static ContainerInfo toContainerInfo(ContainerdModel.Container container, List<String> imageEntrypoint, String writableLayer) {
        JsonNode spec = spec(container.specJson());
        JsonNode process = spec.path("process");
        List<String> args = strings(process.path("args"));
        List<String> entrypoint = List.of();
        List<String> cmd = args;
        if (!imageEntrypoint.isEmpty() && args.size() >= imageEntrypoint.size()
            && args.subList(0, imageEntrypoint.size()).equals(imageEntrypoint)) {
            entrypoint = imageEntrypoint;
            cmd = args.subList(imageEntrypoint.size(), args.size());
        }
        return new ContainerInfo(container.id(), container.image(), entrypoint, cmd, strings(process.path("env")),
            container.labels(), process.path("terminal").asBoolean(false), hostSettings(spec), Set.of(), InheritedSettings.none(),
            writableLayer, container);
    }

    /**
     * The namespaces in Docker's words ("host": the machine's, as tink-agent's {@code pid: host} and host
     * network; a path: one joined by path; null: one of its own), the binds as {@code source:target[:ro]},
     * and privileged where the spec is containerd's WithPrivileged (every capability, nothing masked). Seen on
     * containerd 2.1.9 (ctr containers create, then info): --privileged gives 40 bounding capabilities with
     * CAP_SYS_ADMIN and no masked paths; the default, 14 without CAP_SYS_ADMIN and 11 masked paths.
     */
    static HostSettings hostSettings(JsonNode spec) {
        JsonNode linux = spec.path("linux");
        List<String> binds = new ArrayList<>();
        for (JsonNode mount : spec.path("mounts")) {
            List<String> options = strings(mount.path("options"));
            if (mount.path("type").asText().equals("bind") || options.contains("bind") || options.contains("rbind")) {
                binds.add(mount.path("source").asText() + ":" + mount.path("destination").asText() + (options.contains("ro") ? ":ro" : ""));
            }
        }
        Set<String> capabilities = new HashSet<>(strings(spec.path("process").path("capabilities").path("bounding")));
        boolean privileged = capabilities.contains("CAP_SYS_ADMIN") && capabilities.contains("CAP_SYS_MODULE")
            && linux.path("maskedPaths").isEmpty();
        return new HostSettings(privileged, mode(linux, "pid"), mode(linux, "network"), mode(linux, "ipc"), mode(linux, "uts"),
            binds, List.of(), null, null, null, null);
    }

    private static String mode(JsonNode linux, String type) {
        for (JsonNode namespace : linux.path("namespaces")) {
            if (namespace.path("type").asText().equals(type)) {
                String path = namespace.path("path").asText("");
                return path.isEmpty() ? null : path.equals("/proc/1/ns/" + (type.equals("network") ? "net" : type)) ? "host" : "ns:" + path;
            }
        }
        return "host";
    }

    /**
     * Whether the container has a network namespace of its own that is not joined by path: tink-agent's
     * CNI bridge is set up in such a namespace after the task starts, and ends with it.
     */
    static boolean ownNetwork(ContainerdModel.Container container) {
        return mode(spec(container.specJson()).path("linux"), "network") == null;
    }

    /**
     * {@code spec} with an empty file ({@link HostSettings#MASK_SOURCE}) bound read-only over each of
     * {@code masks}, after the mounts that carry them; and each mount whose source is a key of
     * {@code sources} bound from the new source it names, or left out where it names none (null).
     */
    static String withMounts(String specJson, List<String> masks, Map<String, String> sources) {
        ObjectNode spec = (ObjectNode) spec(specJson);
        ArrayNode mounts = spec.withArray("mounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            String source = mounts.get(i).path("source").asText();
            if (!sources.containsKey(source)) {
                continue;
            }
            String replaced = sources.get(source);
            if (replaced == null) {
                mounts.remove(i);
            } else {
                ((ObjectNode) mounts.get(i)).put("source", replaced);
            }
        }
        for (String file : masks) {
            ObjectNode mask = mounts.addObject();
            mask.put("destination", file);
            mask.put("type", "bind");
            mask.put("source", HostSettings.MASK_SOURCE);
            mask.putArray("options").add("rbind").add("ro");
        }
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new EngineException("cannot write the OCI spec: " + e.getMessage(), e);
        }
    }

    /** The binds of the spec whose source starts with {@code prefix}: source → target. */
    static Map<String, String> bindsFrom(String specJson, String prefix) {
        Map<String, String> found = new LinkedHashMap<>();
        for (JsonNode mount : spec(specJson).path("mounts")) {
            String source = mount.path("source").asText();
            if (source.startsWith(prefix)) {
                found.put(source, mount.path("destination").asText());
            }
        }
        return found;
    }

    /** The upper directory of an overlay snapshot: the container's writable layer, as its mount table shows it. */
    static Optional<String> upperdir(List<ContainerdModel.Mount> mounts) {
        return OwnContainer.upperdir(mounts.stream().filter(mount -> mount.type().equals("overlay"))
            .flatMap(mount -> mount.options().stream()));
    }

    static JsonNode spec(String specJson) {
        try {
            JsonNode spec = JSON.readTree(specJson);
            if (spec == null || !spec.isObject()) {
                throw new EngineException("the container's OCI spec is not a JSON object", null);
            }
            return spec;
        } catch (JsonProcessingException e) {
            throw new EngineException("the container's OCI spec is not JSON: " + e.getMessage(), e);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
