package dev.waitdaemon.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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

    public ContainerdAgentEmulator(TestMachine machine) {
        this.machine = machine;
    }

    /** An action as a template states it: volumes are {@code host:container} binds. */
    public record Action(String name, String image, List<String> command, Map<String, String> env, List<String> volumes,
        boolean hostPid) {
    }

    /** Creates and starts the action's container; returns its id. The output goes to {@link #outputOf}. */
    public String start(Action action) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        // tink-agent writes these to /tmp/tink-dns-*; here in the host folder the machine shares.
        Path dns = Files.createTempDirectory("tink-dns-");
        Files.writeString(dns.resolve("resolv.conf"), "nameserver 127.0.0.1\n", StandardCharsets.UTF_8);
        Files.writeString(dns.resolve("hosts"), "127.0.0.1\tlocalhost\n", StandardCharsets.UTF_8);
        Files.writeString(dns.resolve("hostname"), "captainos\n", StandardCharsets.UTF_8);
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--privileged", "--net-host",
            "--log-uri", "file://" + outputPath(id)));
        if (action.hostPid()) {
            run.addAll(List.of("--with-ns", "pid:/proc/1/ns/pid"));
        }
        for (Map.Entry<String, String> label : Map.of("nerdctl/namespace", TestMachine.CAPTAINOS_NAMESPACE, "nerdctl/name", action.name(),
            "nerdctl/extraHosts", "[]", "nerdctl/hostname", "captainos").entrySet()) {
            run.addAll(List.of("--label", label.getKey() + "=" + label.getValue()));
        }
        action.env().forEach((key, value) -> run.addAll(List.of("--env", key + "=" + value)));
        for (String volume : action.volumes()) {
            String[] bind = volume.split(":", 2);
            run.addAll(List.of("--mount", "type=bind,src=" + bind[0] + ",dst=" + bind[1] + ",options=rbind:rw"));
        }
        for (String file : List.of("resolv.conf", "hosts", "hostname")) {
            run.addAll(List.of("--mount", "type=bind,src=" + dns.resolve(file) + ",dst=/etc/" + file + ",options=rbind:rw"));
        }
        run.add(action.image());
        run.add(id);
        run.addAll(action.command());
        machine.ctr(run.toArray(String[]::new));
        return id;
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
