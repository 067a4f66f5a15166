package dev.waitdaemon.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.waitdaemon.runtime.containerd.ContainerdImages;
import dev.waitdaemon.runtime.containerd.ContainerdModel;
import dev.waitdaemon.runtime.containerd.GrpcContainerdApi;

/**
 * Creates and starts an action on the CaptainOS machine as tink-agent's containerd runtime does
 * (tinkerbell/tinkerbell, tink/agent/internal/runtime/containerd): a random 64-hex id; the image's
 * config, privileged with all devices; the template's env and command; binds for the volumes; its own
 * resolv.conf, hosts and hostname files bound over the image's; {@code pid: host} as the machine's pid
 * namespace and host networking; the {@code nerdctl/*} labels; the output kept in a file. Done with
 * containerd's ctr, test equipment only: the product never runs ctr.
 */
public final class ContainerdAgentEmulator {

    private final TestMachine machine;
    private final Map<String, Path> dnsFolders = new java.util.concurrent.ConcurrentHashMap<>();

    public ContainerdAgentEmulator(TestMachine machine) {
        this.machine = machine;
    }

    /** An action as a template states it: volumes are {@code host:container} binds. */
    public record Action(String name, String image, List<String> command, Map<String, String> env, List<String> volumes,
        boolean hostPid, boolean hostNetwork, List<String> options) {

        /** On the host's network (namespaces.network: host), as waitdaemon's templates run it. */
        public Action(String name, String image, List<String> command, Map<String, String> env, List<String> volumes, boolean hostPid) {
            this(name, image, command, env, volumes, hostPid, true);
        }

        public Action(String name, String image, List<String> command, Map<String, String> env, List<String> volumes, boolean hostPid,
            boolean hostNetwork) {
            this(name, image, command, env, volumes, hostPid, hostNetwork, List.of());
        }

        /**
         * With more of ctr run's options: settings a template cannot give but an operator's own agent or hand
         * can (they land in the action's OCI spec).
         */
        public Action withOptions(String... more) {
            List<String> all = new ArrayList<>(options);
            all.addAll(List.of(more));
            return new Action(name, image, command, env, volumes, hostPid, hostNetwork, List.copyOf(all));
        }
    }

    /** How an action ended, as the agent saw it: containerd's record of the exit, and the output. */
    public record Outcome(String actionId, int exitCode, Instant finishedAt, Duration elapsed, String output) {
    }

    /**
     * Runs the action to its end as tink-agent does: start, wait for the task's exit (containerd's Wait), delete
     * the task whatever the exit, and read the output after that; on success delete the container and its
     * snapshot at once too, and remove the DNS files; a failed action's container is kept for debugging.
     * (tink-agent's containerd runtime: the task deleted in a deferred call either way, its log closed after that
     * "so the cio copy goroutines have finished writing".) The shim's delete waits for its copy of the output into
     * the file (containerd v2.1.9, the runc shim's Init.delete); read before it, the last lines can be missing.
     */
    public Outcome run(Action action) throws IOException {
        Instant started = Instant.now();
        String id = start(action);
        ContainerdModel.Exit exit;
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            exit = api.awaitExit(id, Duration.ofMinutes(2));
        } catch (dev.waitdaemon.runtime.RuntimeUnavailableException e) {
            throw new IllegalStateException(e);
        }
        Duration elapsed = Duration.between(started, Instant.now());
        machine.ctr("tasks", "delete", id);
        String output = outputOf(id);
        if (exit.status() == 0) {
            machine.ctr("containers", "delete", id);
            Path dns = dnsFolders.remove(id);
            if (dns != null) {
                for (String file : List.of("resolv.conf", "hosts", "hostname", "env")) {
                    Files.deleteIfExists(dns.resolve(file));
                }
                Files.deleteIfExists(dns);
            }
        }
        return new Outcome(id, exit.status(), exit.at(), elapsed, output);
    }

    /** Creates and starts the action's container; returns its id. The output goes to {@link #outputOf}. */
    public String start(Action action) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        // tink-agent writes these to /tmp/tink-dns-*; here in the host folder the machine shares.
        Path dns = Files.createTempDirectory("tink-dns-");
        dnsFolders.put(id, dns);
        Files.writeString(dns.resolve("resolv.conf"), "nameserver 127.0.0.1\n", StandardCharsets.UTF_8);
        Files.writeString(dns.resolve("hosts"), "127.0.0.1\tlocalhost\n", StandardCharsets.UTF_8);
        // With host networking, the machine's own hostname, in the file and in the spec (oci.WithHostname).
        String hostname = action.hostNetwork() ? machine.hostname() : id.substring(0, 12);
        Files.writeString(dns.resolve("hostname"), hostname + "\n", StandardCharsets.UTF_8);
        // Host networking as the machine's namespace, joined (ctr's --net-host would also bind the machine's
        // hosts and resolv.conf, which tink-agent does not); without it, a namespace of the action's own
        // (tink-agent's CNI bridge in it is not emulated).
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--privileged", "--log-uri", "file://" + outputPath(id),
            "--hostname", hostname));
        if (action.hostNetwork()) {
            run.addAll(List.of("--with-ns", "network:/proc/1/ns/net"));
        }
        if (action.hostPid()) {
            run.addAll(List.of("--with-ns", "pid:/proc/1/ns/pid"));
        }
        for (Map.Entry<String, String> label : Map.of("nerdctl/namespace", TestMachine.CAPTAINOS_NAMESPACE, "nerdctl/name", action.name(),
            "nerdctl/extraHosts", "[]", "nerdctl/hostname", hostname).entrySet()) {
            run.addAll(List.of("--label", label.getKey() + "=" + label.getValue()));
        }
        // tink-agent hands containerd the template's variables as they are. ctr's --env (urfave/cli's string
        // slice) splits a value at commas and trims spaces at its end: such a variable goes through --env-file,
        // read line by line as it is (oci.WithEnvFile), which in turn reads no line over 64 KiB.
        List<String> exact = new ArrayList<>();
        action.env().forEach((key, value) -> {
            String entry = key + "=" + value;
            if (entry.contains(",") || !entry.equals(entry.strip())) {
                exact.add(entry);
            } else {
                run.addAll(List.of("--env", entry));
            }
        });
        if (!exact.isEmpty()) {
            run.addAll(List.of("--env-file", Files.write(dns.resolve("env"), exact, StandardCharsets.UTF_8).toString()));
        }
        for (String volume : action.volumes()) {
            // host:container[:ro], as tink-agent's parseVolumes reads a template's volume.
            String[] bind = volume.split(":", 3);
            run.addAll(List.of("--mount", bindMount(bind[0], bind[1], bind.length > 2 && bind[2].equals("ro"))));
        }
        for (String file : List.of("resolv.conf", "hosts", "hostname")) {
            run.addAll(List.of("--mount", bindMount(dns.resolve(file).toString(), "/etc/" + file, false)));
        }
        run.addAll(action.options());
        run.add(action.image());
        run.add(id);
        // tink-agent's WithImageConfigArgs: the image's entrypoint, then the template's command (ctr's
        // arguments replace the whole process).
        if (!action.command().isEmpty()) {
            run.addAll(entrypointOf(action.image()));
            run.addAll(action.command());
        }
        machine.ctr(run.toArray(String[]::new));
        return id;
    }

    /**
     * ctr's --mount for a bind: one CSV record (ctr reads it with Go's encoding/csv, cmd/ctr/commands/run/run.go),
     * so a field with a comma or a quote is quoted, its quotes doubled.
     */
    private static String bindMount(String source, String destination, boolean readOnly) {
        return String.join(",", List.of("type=bind", csvField("src=" + source), csvField("dst=" + destination),
            "options=rbind:" + (readOnly ? "ro" : "rw")));
    }

    private static String csvField(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    private List<String> entrypointOf(String image) {
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            return ContainerdImages.config(api, image, ContainerdImages.architecture()).entrypoint();
        } catch (dev.waitdaemon.runtime.RuntimeUnavailableException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the shim writes the action's output, inside the machine. */
    private static String outputPath(String id) {
        return "/machine/actions/" + id + ".log";
    }

    /** The action's output so far. */
    public String outputOf(String id) throws IOException {
        Path log = machine.folder().resolve("actions").resolve(id + ".log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
