package dev.waitdaemon.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A test machine (src/scripts/machine.sh, which builds, starts and stops it): a privileged podman
 * container of the host whose PID 1 is the engine, so that actions there run truly privileged and a
 * target's reboot really ends the machine. Its /machine is a folder of the host (the engine's socket,
 * Smee's log); the machine's loopback ports of the tests' registries reach the host's through relays
 * that this class runs; the tests' temporary folders are shared at the same path.
 */
public final class TestMachine implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofMinutes(5);
    private static final Path SCRIPT = Path.of("src", "scripts", "machine.sh");
    private static final String TEMPORARY_FOLDERS = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString();

    private final String kind;
    private final String name;
    private final Path folder;
    private final List<String> registryPorts;
    private final List<Process> relays = new ArrayList<>();
    private Path engineSocket;

    private TestMachine(String kind, List<String> registryPorts) {
        this.kind = kind;
        this.name = "waitdaemon-machine-" + kind;
        this.folder = Path.of("target", "machines", kind).toAbsolutePath();
        this.registryPorts = List.copyOf(registryPorts);
    }

    /** HookOS: Docker 28 with the syslog log driver to Smee's stand-in. */
    public static TestMachine hookos() {
        return of("hookos");
    }

    /** An IPA ramdisk: podman 5's API service as PID 1, and its CLI. */
    public static TestMachine ipa() {
        return of("ipa");
    }

    /**
     * CaptainOS: containerd 2.1 as PID 1, in namespace {@link #CAPTAINOS_NAMESPACE}; no engine CLI of the
     * product's (the tests use containerd's own ctr through {@link #ctr}).
     */
    public static TestMachine captainos() {
        return of("captainos");
    }

    /** tink-agent's containerd namespace on CaptainOS. */
    public static final String CAPTAINOS_NAMESPACE = "tinkerbell";

    private static TestMachine of(String kind) {
        List<String> ports = new ArrayList<>();
        for (String registry : List.of(System.getProperty("waitdaemon.it.registry", ""),
            System.getProperty("waitdaemon.it.private-registry", ""))) {
            if (registry.contains(":")) {
                ports.add(registry.substring(registry.lastIndexOf(':') + 1));
            }
        }
        return new TestMachine(kind, ports);
    }

    /** The host's end of the machine's /machine folder. */
    public Path folder() {
        return folder.resolve("machine");
    }

    /** The host's path of the engine's socket. */
    public Path socket() {
        if (engineSocket == null) {
            throw new IllegalStateException("the " + kind + " machine has not been started");
        }
        return engineSocket;
    }

    /** containerd's ctr in the CaptainOS machine, in tink-agent's namespace; insists on success, returns stdout. */
    public String ctr(String... args) {
        EngineCli.Result result = ctrRun(args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("ctr " + String.join(" ", args) + " failed (" + result.exitCode() + "): " + result.err());
        }
        return result.out();
    }

    /** The name under which containerd keeps an image that {@link #start} brought (ctr names it docker.io/…). */
    public String containerdImage(String image) {
        String tail = image.substring(image.lastIndexOf('/') + 1);
        return ctr("images", "list", "--quiet").lines().filter(name -> name.endsWith("/" + tail)).findFirst()
            .orElseThrow(() -> new IllegalStateException("containerd has no image " + image));
    }

    public EngineCli.Result ctrRun(String... args) {
        List<String> command = new ArrayList<>(List.of("podman", "exec", name, "ctr", "--namespace", CAPTAINOS_NAMESPACE));
        command.addAll(List.of(args));
        return HostCommand.run(Duration.ofMinutes(2), command);
    }

    /** The machine's hostname (its UTS namespace's), as an agent on it would read it. */
    public String hostname() {
        return HostCommand.ok(Duration.ofSeconds(30), "podman", "exec", name, "cat", "/proc/sys/kernel/hostname").trim();
    }

    /** A file of the machine's own (not of the folder it shares), or "" where there is none. */
    public String machineFile(String path) {
        EngineCli.Result read = HostCommand.run(Duration.ofSeconds(30), List.of("podman", "exec", name, "cat", path));
        return read.exitCode() == 0 ? read.out() : "";
    }

    /** The last lines of every file in a folder of the machine's own, each under its name: for failure messages. */
    public String machineFolderTail(String folder) {
        return HostCommand.run(Duration.ofSeconds(30), List.of("podman", "exec", name, "sh", "-c",
            "for f in \"$1\"/*; do echo \"== $f\"; tail -n 30 \"$f\"; done", "sh", folder)).out();
    }

    /** The machine's engine through the host's docker CLI (podman's through its Docker-compatible API). */
    public EngineCli engine() {
        if (kind.equals("captainos")) {
            throw new IllegalStateException("the captainos machine has no Docker API: use ctr() or containerd's API at socket()");
        }
        if (engineSocket == null) {
            throw new IllegalStateException("the " + kind + " machine has not been started");
        }
        return EngineCli.dockerAt(engineSocket, kind.equals("ipa"), "the " + kind + " test machine's engine");
    }

    /**
     * Starts the machine afresh (a stopped or rebooted one too) once its engine answers, with {@code images}
     * from the host's dockerd in its store and no containers, as a machine boots.
     */
    public TestMachine start(List<String> images) throws IOException {
        stop();
        try {
            return startAfresh(images);
        } catch (IOException | RuntimeException e) {
            // A start that fails (in an IT's constructor, where no @AfterAll follows) leaves nothing behind.
            stop();
            throw e;
        }
    }

    private TestMachine startAfresh(List<String> images) throws IOException {
        Files.createDirectories(folder());
        for (String port : registryPorts) {
            Path socket = folder().resolve("registry-" + port + ".sock");
            Files.deleteIfExists(socket);
            // Loopback to loopback through a socket only root can open: nothing new listens on a network.
            relays.add(new ProcessBuilder("socat", "UNIX-LISTEN:" + socket + ",fork,mode=600", "TCP:127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(folder.resolve("relay-" + port + ".log").toFile()).start());
        }
        ProcessBuilder start = new ProcessBuilder("bash", SCRIPT.toString(), "start", kind);
        start.environment().put("MACHINE_REGISTRY_PORTS", String.join(" ", registryPorts));
        start.environment().put("MACHINE_SHARED_FOLDER", TEMPORARY_FOLDERS);
        EngineCli.Result started = HostCommand.run(START_LIMIT, start);
        if (started.exitCode() != 0) {
            throw new IllegalStateException("machine.sh start " + kind + " failed: " + started.err());
        }
        engineSocket = Path.of(started.trimmed());
        if (kind.equals("captainos")) {
            return withContainerdImages(images);
        }
        EngineCli engine = engine();
        // A machine boots without containers (HookOS and IPA keep none across a reboot); the store kept for
        // the images still lists those of the last start, podman's as running, with pids of a pid namespace
        // that is gone and whose numbers the new one reuses.
        List<String> leftovers = engine.run("ps", "--all", "--quiet", "--no-trunc").out().lines()
            .map(String::trim).filter(id -> !id.isEmpty()).toList();
        if (!leftovers.isEmpty()) {
            List<String> remove = new ArrayList<>(List.of("rm", "--force"));
            remove.addAll(leftovers);
            engine.ok(remove.toArray(String[]::new));
        }
        for (String wanted : images) {
            if (!engine.imageId(wanted).equals(EngineCli.DOCKER.imageId(wanted))) {
                engine.loadFromDocker(wanted);
            }
        }
        return this;
    }

    /**
     * CaptainOS boots with no containers (its /run, where containerd keeps tasks, is emptied by machine.sh);
     * the records kept in the store for the images go, and the images come from the host's dockerd.
     */
    private TestMachine withContainerdImages(List<String> images) throws IOException {
        for (String leftover : ctr("containers", "list", "--quiet").lines().map(String::trim).filter(id -> !id.isEmpty()).toList()) {
            ctrRun("tasks", "delete", "--force", leftover);
            ctr("containers", "delete", leftover);
        }
        for (String wanted : images) {
            Path archive = folder().resolve("image.tar");
            try {
                EngineCli.DOCKER.ok("save", "--output", archive.toString(), wanted);
                ctr("images", "import", "/machine/" + archive.getFileName());
            } finally {
                Files.deleteIfExists(archive);
            }
        }
        return this;
    }

    /**
     * The machine's own namespace of that kind: the "host" of the actions on it. The network namespace is
     * the one podman made for the machine (its SandboxKey), not its PID 1's: /proc/PID/ns names the
     * namespaces of the engine's main thread, and podman 5's service has been seen with that thread left
     * in another network namespace while the service, its helpers and its containers stayed in the machine's.
     */
    public String namespace(String kind) throws IOException {
        if (kind.equals("net")) {
            String sandbox = HostCommand.ok(Duration.ofSeconds(30), "podman", "inspect", "--format",
                "{{.NetworkSettings.SandboxKey}}", name).trim();
            return "net:[" + Files.getAttribute(Path.of(sandbox), "unix:ino") + "]";
        }
        return Files.readSymbolicLink(Path.of("/proc", pid(), "ns", kind)).toString();
    }

    /**
     * The machine's pid of a plain process that machine-init started in the machine's namespaces before it
     * became the engine: a host process to enter, as a real host's init is (see {@link #namespace}).
     */
    public String hostProcess() throws IOException {
        return Files.readString(folder().resolve("host-pid"), StandardCharsets.UTF_8).trim();
    }

    /** The host's pid of the machine's PID 1. */
    private String pid() {
        return HostCommand.ok(Duration.ofSeconds(30), "podman", "inspect", "--format", "{{.State.Pid}}", name).trim();
    }

    /** How the machine ended: podman's record of its PID 1's exit. */
    public record End(int exitCode, Instant at) {
    }

    /** Waits for the machine to end (podman's wait: the event, not a poll) and says how it ended. */
    public End awaitEnd(Duration limit) {
        EngineCli.Result waited = HostCommand.run(limit, List.of("podman", "wait", name));
        if (waited.exitCode() != 0) {
            throw new AssertionError("the " + kind + " machine did not end within " + limit + ": " + waited.err());
        }
        String[] state = HostCommand.ok(Duration.ofSeconds(30), "podman", "inspect", "--format",
            "{{.State.ExitCode}} {{.State.FinishedAt.Format \"2006-01-02T15:04:05.000000000Z07:00\"}}", name).trim().split(" ");
        return new End(Integer.parseInt(state[0]), Instant.parse(state[1]));
    }

    /** Smee's stand-in: every syslog datagram the machine's Docker sent. */
    public String syslog() throws IOException {
        Path log = folder().resolve("syslog.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Removes the machine's container (its image store stays for the next start) and the relays. */
    public void stop() {
        HostCommand.run(Duration.ofMinutes(1), List.of("bash", SCRIPT.toString(), "stop", kind));
        relays.forEach(Process::destroyForcibly);
        relays.clear();
    }

    @Override
    public void close() {
        stop();
    }
}
