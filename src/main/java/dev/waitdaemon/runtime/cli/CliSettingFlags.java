package dev.waitdaemon.runtime.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.InheritedSettings;

/**
 * The one table from a copied container's inspected settings (Config and HostConfig, in the engine's
 * spelling) to the {@code create} flags that docker, podman and nerdctl share. The records' own fields
 * are {@link CliArguments}'; what is neither there nor here, and says something, cannot be given on the
 * command line and is named by {@link #of}, never dropped in silence.
 */
final class CliSettingFlags {

    /** A field's flags, or none for a value that says nothing (the engine's default). */
    private static final Map<String, Function<JsonNode, List<String>>> TABLE = new LinkedHashMap<>();

    static {
        // Config
        TABLE.put("Hostname", value -> text("--hostname", value));
        TABLE.put("Domainname", value -> text("--domainname", value));
        TABLE.put("User", value -> text("--user", value));
        TABLE.put("WorkingDir", value -> text("--workdir", value));
        TABLE.put("StopSignal", value -> text("--stop-signal", value));
        TABLE.put("StopTimeout", value -> number("--stop-timeout", value));
        TABLE.put("OpenStdin", value -> flag("--interactive", value));
        // HostConfig
        TABLE.put("Ulimits", value -> each("--ulimit", value, ulimit -> ulimit.path("Name").asText() + "="
            + ulimit.path("Soft").asLong() + ":" + ulimit.path("Hard").asLong()));
        TABLE.put("Sysctls", value -> entries("--sysctl", value, "="));
        TABLE.put("Tmpfs", value -> entries("--tmpfs", value, ":"));
        TABLE.put("ShmSize", value -> number("--shm-size", value));
        TABLE.put("ExtraHosts", value -> each("--add-host", value, JsonNode::asText));
        TABLE.put("Dns", value -> each("--dns", value, JsonNode::asText));
        TABLE.put("DnsSearch", value -> each("--dns-search", value, JsonNode::asText));
        TABLE.put("DnsOptions", value -> each("--dns-option", value, JsonNode::asText));
        TABLE.put("GroupAdd", value -> each("--group-add", value, JsonNode::asText));
        TABLE.put("Init", value -> flag("--init", value));
        TABLE.put("CgroupnsMode", value -> text("--cgroupns", value));
        TABLE.put("CgroupParent", value -> text("--cgroup-parent", value));
        TABLE.put("ReadonlyRootfs", value -> flag("--read-only", value));
        TABLE.put("DeviceCgroupRules", value -> each("--device-cgroup-rule", value, JsonNode::asText));
        TABLE.put("OomScoreAdj", value -> number("--oom-score-adj", value));
        TABLE.put("OomKillDisable", value -> flag("--oom-kill-disable", value));
        TABLE.put("Memory", value -> number("--memory", value));
        TABLE.put("MemorySwap", value -> number("--memory-swap", value));
        TABLE.put("MemoryReservation", value -> number("--memory-reservation", value));
        TABLE.put("MemorySwappiness", value -> value.isNumber() && value.asLong() >= 0
            ? option("--memory-swappiness", value.asText()) : List.of());
        TABLE.put("NanoCpus", value -> value.asLong() > 0
            ? option("--cpus", BigDecimal.valueOf(value.asLong(), 9).stripTrailingZeros().toPlainString()) : List.of());
        TABLE.put("CpuShares", value -> number("--cpu-shares", value));
        TABLE.put("CpuPeriod", value -> number("--cpu-period", value));
        TABLE.put("CpuQuota", value -> number("--cpu-quota", value));
        TABLE.put("CpuRealtimePeriod", value -> number("--cpu-rt-period", value));
        TABLE.put("CpuRealtimeRuntime", value -> number("--cpu-rt-runtime", value));
        TABLE.put("CpusetCpus", value -> text("--cpuset-cpus", value));
        TABLE.put("CpusetMems", value -> text("--cpuset-mems", value));
        TABLE.put("BlkioWeight", value -> number("--blkio-weight", value));
        TABLE.put("BlkioDeviceReadBps", value -> each("--device-read-bps", value, CliSettingFlags::deviceRate));
        TABLE.put("BlkioDeviceWriteBps", value -> each("--device-write-bps", value, CliSettingFlags::deviceRate));
        TABLE.put("BlkioDeviceReadIOps", value -> each("--device-read-iops", value, CliSettingFlags::deviceRate));
        TABLE.put("BlkioDeviceWriteIOps", value -> each("--device-write-iops", value, CliSettingFlags::deviceRate));
        // Docker reports 0 and podman its default (2048 and more) for "unset"; both are given back as they are.
        TABLE.put("PidsLimit", value -> value.isNumber() && value.asLong() > 0
            ? option("--pids-limit", value.asText()) : List.of());
        TABLE.put("LogConfig", CliSettingFlags::logFlags);
        TABLE.put("UsernsMode", value -> text("--userns", value));
        TABLE.put("VolumesFrom", value -> each("--volumes-from", value, JsonNode::asText));
        TABLE.put("VolumeDriver", value -> text("--volume-driver", value));
        TABLE.put("Links", value -> each("--link", value, JsonNode::asText));
        // podman's word for "the engine's configured OCI runtime" names none.
        // podman's --cgroups; "default" is its default.
        TABLE.put("Cgroups", value -> "default".equals(value.asText()) ? List.of() : text("--cgroups", value));
        TABLE.put("Runtime", value -> "oci".equals(value.asText()) ? List.of() : text("--runtime", value));
    }

    private CliSettingFlags() {
    }

    /** The flags for {@code inherited}, and the names of the fields no flag can carry. */
    record Flags(List<String> args, List<String> uncarried) {
    }

    static Flags of(InheritedSettings inherited, HostSettings records) {
        List<String> args = new ArrayList<>();
        List<String> uncarried = new ArrayList<>();
        InheritedSettings forCreate = inherited.forCreate(records);
        for (JsonNode node : List.of(forCreate.config(), forCreate.hostConfig())) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (InheritedSettings.RECORD_FIELDS.contains(name) || InheritedSettings.ENGINE_FACTS.contains(name)
                    || !InheritedSettings.meaningful(value)) {
                    continue;
                }
                Function<JsonNode, List<String>> flags = TABLE.get(name);
                if (flags == null) {
                    // The name only: a value can hold a secret (a health check's curl -u user:password).
                    uncarried.add(name);
                } else {
                    args.addAll(flags.apply(value));
                }
            }
        }
        return new Flags(args, uncarried.stream().sorted().toList());
    }

    /**
     * One argument, {@code --flag=value}: a value that starts with a dash (a user's string) can then never
     * be read as an option of its own.
     */
    private static List<String> option(String flag, String value) {
        return List.of(flag + "=" + value);
    }

    private static List<String> text(String flag, JsonNode value) {
        return value.isTextual() && !value.asText().isEmpty() ? option(flag, value.asText()) : List.of();
    }

    private static List<String> number(String flag, JsonNode value) {
        return value.isNumber() && value.asLong() != 0 ? option(flag, value.asText()) : List.of();
    }

    private static List<String> flag(String flag, JsonNode value) {
        return value.asBoolean(false) ? List.of(flag) : List.of();
    }

    private static List<String> each(String flag, JsonNode values, Function<JsonNode, String> format) {
        List<String> args = new ArrayList<>();
        if (values.isArray()) {
            for (JsonNode value : values) {
                args.addAll(option(flag, format.apply(value)));
            }
        }
        return args;
    }

    /** An object's entries as {@code key<separator>value}, a bare key where the value is empty. */
    private static List<String> entries(String flag, JsonNode object, String separator) {
        List<String> args = new ArrayList<>();
        object.fields().forEachRemaining(entry -> {
            String value = entry.getValue().isNull() ? "" : entry.getValue().asText();
            args.addAll(option(flag, value.isEmpty() && !separator.equals("=") ? entry.getKey() : entry.getKey() + separator + value));
        });
        return args;
    }

    /**
     * The driver and its options. podman reports some options beside Config: its Size (max-size; "0B"
     * from podman 4 and "-1B" from podman 5 when none) and Tag; its Path is the engine's own file for this
     * container, no option.
     */
    private static List<String> logFlags(JsonNode logConfig) {
        List<String> args = new ArrayList<>(text("--log-driver", logConfig.path("Type")));
        if (!args.isEmpty()) {
            args.addAll(entries("--log-opt", logConfig.path("Config"), "="));
            String size = logConfig.path("Size").asText("");
            if (!size.isEmpty() && !size.equals("0B") && !size.startsWith("-")) {
                args.addAll(option("--log-opt", "max-size=" + size));
            }
            if (!logConfig.path("Tag").asText("").isEmpty()) {
                args.addAll(option("--log-opt", "tag=" + logConfig.path("Tag").asText()));
            }
        }
        return args;
    }

    private static String deviceRate(JsonNode device) {
        return device.path("Path").asText() + ":" + device.path("Rate").asText();
    }
}
