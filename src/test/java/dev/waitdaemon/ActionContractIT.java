package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.EngineTimes;
import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.SmeeStandIn;
import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TestRegistries;
import dev.waitdaemon.support.TinkAgentEmulator;
import dev.waitdaemon.support.TinkAgentEmulator.Action;
import dev.waitdaemon.support.TinkAgentEmulator.Outcome;

/**
 * What every runtime must do, checked on a real engine with the Jib-built image run as a Tinkerbell
 * action: what the agent sees, and what really happens after it has reported. Each subclass reaches
 * the engine one way (its API socket, or its CLI in the host's namespaces).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ActionContractIT {

    static final String WAITDAEMON = System.getProperty("waitdaemon.it.image", "local/waitdaemon:dev");
    /** The native variant (build-image.sh --native), held to the same contract by the Native*IT classes. */
    static final String WAITDAEMON_NATIVE = System.getProperty("waitdaemon.it.native-image", "local/waitdaemon:native");
    static final String TARGET = "local/waitdaemon-target:test";
    static final String BUSYBOX = "local/busybox:test";
    /** The action exits right after starting its clone: JVM start plus a few engine calls. */
    static final Duration ACTION_EXIT_LIMIT = Duration.ofSeconds(15);
    static final String[] EVERY_CANDIDATE = { "docker-api:", "podman-api:", "containerd-api:", "nerdctl-cli:", "docker-cli:", "podman-cli:" };
    /** The volume through which an action reaches each engine's API (HookOS's and an IPA ramdisk's). */
    static final String DOCKER_SOCKET = "/var/run/docker.sock:/var/run/docker.sock";
    static final String PODMAN_SOCKET = "/run/podman/podman.sock:/run/podman/podman.sock";

    private final ObjectMapper json = new ObjectMapper();
    private final EngineCli engine = engine();
    final TinkAgentEmulator agent = new TinkAgentEmulator(engine, image());

    /** The engine the action runs on. */
    abstract EngineCli engine();

    /** The runtime waitdaemon must pick, as it names it in its logs. */
    abstract String expectedRuntime();

    /** What makes this runtime reachable: env (CONTAINER_RUNTIME, NERDCTL_HOST_PID, ...) and volumes. */
    abstract Action reach(Action action);

    /** The waitdaemon image under test: the one build-image.sh made, unless a subclass says otherwise. */
    String image() {
        return WAITDAEMON;
    }

    /** A test machine started for a subclass's engine, with the image under test and the test images in it. */
    static EngineCli startedWithImages(TestMachine machine) {
        try {
            return machine.start(List.of(WAITDAEMON, TARGET, BUSYBOX)).engine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Every engine but the host's dockerd keeps its own image store: give it the image just built into
     * docker (the host's podman has the test images from test-images.sh; a test machine gets them too).
     */
    @BeforeAll
    void imageInTheEngine() throws IOException {
        if (!engine.isTheHostsDocker() && !engine.imageId(image()).equals(EngineCli.DOCKER.imageId(image()))) {
            engine.loadFromDocker(image());
        }
    }

    /**
     * The action's privileges as they must show on a clone or target: podman and a test machine's
     * Docker start the action truly --privileged; this sandbox's own Docker cannot, and the stand-in
     * capabilities must be carried instead.
     */
    private void assertPrivilegesCarried(JsonNode container) {
        if (engine.startsPrivileged()) {
            assertThat(container.at("/HostConfig/Privileged").asBoolean()).isTrue();
        } else {
            assertThat(capabilities(container.at("/HostConfig/CapAdd"))).containsExactly("ALL");
            assertThat(capabilities(container.at("/HostConfig/CapDrop"))).containsExactly("SYS_RESOURCE");
        }
    }

    @BeforeEach
    @AfterEach
    void noWaitdaemonContainersAround() {
        engine.removeLabelled("waitdaemon.phase");
    }

    Outcome run(Action action) {
        return agent.run(reach(action));
    }

    @Test
    void reportsAtOnceThenStartsTheTargetAfterTheWaitWithTheActionsCommandEnvAndVolumes(@TempDir Path out)
        throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "3", "GREETING", "hello world",
                "SALUTATION", "grüße — ✓")
            .withVolumes(List.of(out + ":/out"))
            // -D and -XX: words are the target's, not options of the JVM or of a native executable.
            .withCommand("--help", "-c", "a b", "-Dquarkus.log.level=OFF", "-XX:+PrintFlagsFinal", "--"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(action.elapsed()).isLessThan(ACTION_EXIT_LIMIT);

        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);
        JsonNode target = agent.inspect(targetId);
        Instant targetStarted = Instant.parse(target.at("/State/StartedAt").asText());
        assertThat(Duration.between(action.finishedAt(), targetStarted))
            .as("WAIT_SECONDS counts from the action's exit").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        // By the target's own process too (the time it wrote its first file): on podman its container is
        // initialised during the wait (the OCI runtime's create), which must run none of it. A file's time is
        // the kernel's coarse clock, up to one tick behind the one the engine read (10 ms at HZ=100); podman's
        // target runs 4-12 ms after it is due (bench.sh), so a tick is allowed for.
        Instant targetRan = Files.getLastModifiedTime(out.resolve("entrypoint")).toInstant();
        assertThat(Duration.between(action.finishedAt(), targetRan))
            .as("the target's process ran only once the wait was over").isGreaterThanOrEqualTo(Duration.ofSeconds(3).minusMillis(10));

        assertThat(Files.readString(out.resolve("entrypoint")).trim()).as("the target image's own entrypoint ran").isEqualTo("ran");
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("--help", "-c", "a b", "-Dquarkus.log.level=OFF", "-XX:+PrintFlagsFinal", "--");
        List<String> env = Files.readAllLines(out.resolve("env"));
        assertThat(env).contains("GREETING=hello world", "SALUTATION=grüße — ✓", "IMAGE=" + TARGET, "WAIT_SECONDS=3")
            .noneMatch(line -> line.startsWith("WAITDAEMON_PHASE="))
            .filteredOn(line -> line.startsWith("PATH=")).containsExactly("PATH=/bin");

        assertThat(target.at("/Config/Image").asText()).endsWith(TARGET);
        assertThat(target.at("/Config/Labels/waitdaemon.phase").asText()).isEqualTo("target");
        assertThat(target.at("/Config/Labels/waitdaemon.action").asText()).isEqualTo(action.actionId());
        assertThat(target.at("/HostConfig/PidMode").asText()).isEqualTo("host");
        assertThat(texts(target.at("/HostConfig/Binds"))).anyMatch(bind -> bind.startsWith(out + ":/out"));
        assertPrivilegesCarried(target);

        JsonNode clone = agent.inspect(engine.labelled("waitdaemon.phase=clone", "waitdaemon.action=" + action.actionId()).get(0));
        assertThat(texts(clone.at("/Config/Env"))).contains("WAITDAEMON_PHASE=clone", "GREETING=hello world");
        assertThat(clone.at("/State/ExitCode").asInt()).as("the clone ends once the target has started").isZero();
        assertPrivilegesCarried(clone);
    }

    @Test
    void logsOneJsonEventPerLineWithPhaseImageRuntimeAndIds() throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        // Nothing of the JVM's own either (such as "Picked up JAVA_TOOL_OPTIONS"): a log read with a JSON
        // parser must not meet a line that is not an event.
        assertThat(action.stderr()).as("the action's stderr").isEmpty();
        List<JsonNode> events = new ArrayList<>();
        for (String line : action.stdout().split("\n")) {
            if (!line.isBlank()) {
                events.add(json.readTree(line));
            }
        }
        List<JsonNode> ours = events.stream().filter(event -> event.path("loggerName").asText().equals("waitdaemon")).toList();
        assertThat(ours).isNotEmpty().allSatisfy(event -> {
            assertThat(event.at("/mdc/phase").asText()).isEqualTo("first-fork");
            assertThat(event.at("/mdc/image").asText()).isEqualTo(TARGET);
            assertThat(event.at("/mdc/runtime").asText()).isEqualTo(expectedRuntime());
        });
        JsonNode started = ours.get(ours.size() - 1);
        assertThat(started.get("message").asText()).startsWith("clone started");
        assertThat(started.at("/mdc/actionId").asText()).isEqualTo(action.actionId());
        assertThat(started.at("/mdc/cloneId").asText()).matches("[0-9a-f]{64}");
        assertThat(started.at("/mdc/durationMs").asLong()).isPositive();
    }

    @Test
    void worksWithHostNetworkingWhereTheHostnameIsTheHosts(@TempDir Path out) throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0")
            .withVolumes(List.of(out + ":/out")).withNetwork("host").withCommand("reboot"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);
        assertThat(agent.inspect(targetId).at("/HostConfig/NetworkMode").asText()).isEqualTo("host");
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("reboot");
    }

    /**
     * As tink-agent's containerd runtime creates an action on CaptainOS: its own resolv.conf, hosts and
     * hostname (not the engine's, so no id in mountinfo), a private cgroup namespace (none in
     * /proc/self/cgroup), host networking (the host's name): only the init process can tell.
     */
    @Test
    void findsItsOwnContainerByItsInitProcessWhenNothingTheEngineProvidesNamesIt(@TempDir Path dns) throws Exception {
        Files.writeString(dns.resolve("hostname"), "provisioned\n");
        Files.writeString(dns.resolve("hosts"), "127.0.0.1 localhost provisioned\n");
        Files.writeString(dns.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
        Path out = Files.createDirectories(dns.resolve("out"));
        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0")
            .withVolumes(List.of(dns.resolve("hostname") + ":/etc/hostname", dns.resolve("hosts") + ":/etc/hosts",
                dns.resolve("resolv.conf") + ":/etc/resolv.conf", out + ":/out"))
            .withNetwork("host").withCreateOptions("--cgroupns", "private", "--ipc", "host")
            .withCommand("sh", "-c", "readlink /proc/self/ns/net > /out/net; readlink /proc/self/ns/ipc > /out/ipc"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);
        // The namespaces themselves: podman reports --ipc host as "shareable".
        JsonNode target = agent.inspect(targetId).path("HostConfig");
        String recorded = "; the engine recorded the target with NetworkMode " + target.path("NetworkMode")
            + ", IpcMode " + target.path("IpcMode") + "\n" + describe(action);
        assertThat(Files.readString(out.resolve("net")).trim()).as("the target's network namespace" + recorded)
            .isEqualTo(hostNamespace("net"));
        assertThat(Files.readString(out.resolve("ipc")).trim()).as("the target's ipc namespace" + recorded)
            .isEqualTo(hostNamespace("ipc"));
    }

    /**
     * An action in a pid namespace of its own (no pid: host) gives its clone and target none of the host's
     * namespaces. Before, the first fork, its container's PID 1, took itself for the host's init and gave
     * both the host's ipc namespace: the target's /dev/shm was the host's, not the action's 96m. Every CLI
     * class here enters its CLI in the host's namespaces, which needs pid: host: that is said, and nothing
     * is started.
     */
    @Test
    void anActionInItsOwnPidNamespaceGivesTheCloneAndTheTargetNoneOfTheHostsNamespaces(@TempDir Path out) throws Exception {
        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0").withPid(null)
            .withVolumes(List.of(out + ":/out")).withCreateOptions("--shm-size", "96m")
            .withCommand("sh", "-c", "grep ' /dev/shm ' /proc/mounts > /out/shm; readlink /proc/self/ns/ipc > /out/ipc;"
                + " readlink /proc/self/ns/pid > /out/pid"));

        if (expectedRuntime().endsWith("-cli")) {
            assertThat(action.exitCode()).as(describe(action)).isEqualTo(12);
            assertThat(action.stderr()).contains("run the action with pid: host");
            assertNothingStarted(action);
            return;
        }
        assertThat(action.exitCode()).as(describe(action)).isZero();
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);
        JsonNode target = agent.inspect(targetId).path("HostConfig");
        String recorded = "; the engine recorded the target with PidMode " + target.path("PidMode") + ", IpcMode "
            + target.path("IpcMode") + "\n" + describe(action);
        assertThat(Files.readString(out.resolve("shm"))).as("the action's --shm-size" + recorded).contains("size=98304k");
        assertThat(Files.readString(out.resolve("ipc")).trim()).as("the target's ipc namespace" + recorded)
            .isNotEqualTo(hostNamespace("ipc"));
        assertThat(Files.readString(out.resolve("pid")).trim()).as("the target's pid namespace" + recorded)
            .isNotEqualTo(hostNamespace("pid"));
        assertThat(target.path("IpcMode").asText()).isNotEqualTo("host");
        assertThat(target.path("PidMode").asText()).isNotEqualTo("host");
    }

    /**
     * --network container:X: the engine lends the action X's hostname, hosts and resolv.conf, so the mount
     * table names X. Before, X was taken for the action and cloned: the clone ran X's image and command,
     * and no target of this action ever came.
     */
    @Test
    void anActionInAnotherContainersNetworkClonesItselfNotTheContainerThatLentIt(@TempDir Path out) throws Exception {
        String lender = engine.ok("run", "--detach", "--label", "waitdaemon.phase=lender", BUSYBOX, "sleep", "600").trim();
        try {
            Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0").withNetwork("container:" + lender)
                .withVolumes(List.of(out + ":/out")).withCommand("sh", "-c", "echo the-target > /out/ran"));

            assertThat(action.exitCode()).as(describe(action)).isZero();
            assertThat(action.stdout() + action.stderr()).doesNotContain("\"" + lender + "\"");
            String targetId = awaitTarget(action, Duration.ofSeconds(40));
            engine.ok("wait", targetId);
            assertThat(Files.readString(out.resolve("ran")).trim()).isEqualTo("the-target");
            assertThat(engine.labelled("waitdaemon.action=" + lender)).as("nothing descends from the lender").isEmpty();
        } finally {
            engine.run("rm", "--force", lender);
        }
    }

    /**
     * --uts host beside host networking: Docker fills the action's Hostname with the host's name and then
     * refused it back on the clone ("conflicting options: hostname and the UTS mode").
     */
    @Test
    void anActionInTheHostsUtsNamespaceIsClonedAndItsTargetKeepsThatNamespace(@TempDir Path out) throws Exception {
        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0").withNetwork("host")
            .withCreateOptions("--uts", "host").withVolumes(List.of(out + ":/out"))
            .withCommand("sh", "-c", "readlink /proc/self/ns/uts > /out/uts"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);
        assertThat(Files.readString(out.resolve("uts")).trim()).as(describe(action)).isEqualTo(hostNamespace("uts"));
    }

    /**
     * Every value reaches the target byte for byte, spaces at either end included, or the action fails
     * before it exits 0 naming the variable (never showing it): a CLI's env file reads no line over 64 KiB
     * ("bufio.Scanner: token too long", docker 20.10 and podman 4.3), and before, the clone failed after
     * the action had reported success. The action is --read-only with no tmpfs at /tmp, where a CLI's env
     * file could not be written before.
     */
    @Test
    void everyValueReachesTheTargetAsItIsOrTheActionFailsFirstNamingIt(@TempDir Path out) throws Exception {
        String big = "b".repeat(70_000);
        String spaced = "  spaces at both ends  ";
        Action readOnly = Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "SPACED", spaced)
            .withVolumes(List.of(out + ":/out")).withCreateOptions("--read-only")
            .withCommand("sh", "-c", "printf '%s' \"$SPACED\" > /out/spaced; printf '%s' \"$BIG\" > /out/big");
        Outcome withBig = run(readOnly.withEnv(java.util.Map.of("BIG", big)));

        if (expectedRuntime().endsWith("-cli")) {
            assertThat(withBig.exitCode()).as(describe(withBig)).isEqualTo(1);
            assertThat(withBig.stderr()).contains("BIG: it is over the 64 KiB a line of").doesNotContain("bbbbbbbb");
            assertNothingStarted(withBig);
        } else {
            assertThat(withBig.exitCode()).as(describe(withBig)).isZero();
            engine.ok("wait", awaitTarget(withBig, Duration.ofSeconds(40)));
            assertThat(Files.readString(out.resolve("big"))).isEqualTo(big);
            assertThat(Files.readString(out.resolve("spaced"))).isEqualTo(spaced);
            Files.delete(out.resolve("spaced"));
        }

        Outcome action = run(readOnly);
        assertThat(action.exitCode()).as(describe(action)).isZero();
        engine.ok("wait", awaitTarget(action, Duration.ofSeconds(40)));
        assertThat(Files.readString(out.resolve("spaced"))).isEqualTo(spaced);
    }

    /** The engine's host's namespace of that kind: this test's own, unless the engine runs in a test machine. */
    String hostNamespace(String kind) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns", kind)).toString();
    }

    /**
     * A true clone: what the action was given beyond the template's fields (as an operator's own agent or
     * hand may give it) reaches the target, as the target sees it from inside and as the engine records it.
     */
    @Test
    void everySettingTheActionWasGivenReachesTheTarget(@TempDir Path out) throws Exception {
        List<String> options = new ArrayList<>(List.of("--tmpfs", "/scratch:size=1m", "--tmpfs", "/tmp",
            "--mount", "type=tmpfs,destination=/scratch2,tmpfs-size=2097152", // Within the test machines' own hard limits (1024). podman drops its configured ulimits once one is
            // given, and this sandbox refuses the nproc it would set then.
            "--ulimit", "nofile=1000:1024", "--ulimit", "nproc=1000:1024",
            "--shm-size", "3m", "--add-host", "provisioner.test:10.9.8.7",
            "--dns", "10.1.2.3", "--dns-search", "lab.test", "--dns-option", "ndots:3", "--workdir", "/tmp",
            "--group-add", "1234", "--read-only", "--oom-score-adj", "123", "--memory", "256m", "--pids-limit", "99",
            "--cpus", "1.5", "--log-driver", "json-file", "--log-opt", "max-size=1m", "--hostname", "provisioner"));
        boolean docker = !engine.isPodman();
        if (docker) {
            // podman refuses --init beside --pid host (and the host's podman lacks catatonit); its inspect
            // reports no sysctls at all (neither its CLI nor its API), so nothing could carry one.
            options.addAll(List.of("--init", "--sysctl", "kernel.msgmax=12345"));
        }
        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0")
            .withVolumes(List.of(out + ":/out"))
            .withCreateOptions(options.toArray(String[]::new))
            .withCommand("sh", "-c", String.join("; ",
                "grep 'Max open files' /proc/self/limits > /out/limits",
                "cat /proc/sys/kernel/msgmax > /out/msgmax",
                "cat /proc/mounts > /out/mounts",
                "cat /etc/hosts > /out/hosts",
                "cat /etc/resolv.conf > /out/resolv.conf",
                "pwd > /out/workdir",
                "id -G > /out/groups",
                "cat /proc/self/oom_score_adj > /out/oom_score_adj",
                "hostname > /out/hostname")));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);

        assertThat(Files.readString(out.resolve("limits"))).containsPattern("Max open files\\s+1000\\s+1024");
        if (docker) {
            assertThat(Files.readString(out.resolve("msgmax")).trim()).isEqualTo("12345");
        }
        List<String> mounts = Files.readAllLines(out.resolve("mounts"));
        assertThat(mounts).anySatisfy(line -> assertThat(line).startsWith("tmpfs /scratch ").contains("size=1024k"));
        assertThat(mounts).anySatisfy(line -> assertThat(line).startsWith("tmpfs /scratch2 ").contains("size=2048k"));
        assertThat(mounts).anySatisfy(line -> assertThat(line).contains(" /dev/shm ").contains("size=3072k"));
        assertThat(mounts).as("--read-only").anySatisfy(line -> assertThat(line).matches("\\S+ / \\S+ ro[ ,].*"));
        assertThat(Files.readString(out.resolve("hosts"))).containsPattern("10\\.9\\.8\\.7\\s+provisioner\\.test");
        assertThat(Files.readString(out.resolve("resolv.conf"))).contains("nameserver 10.1.2.3").contains("lab.test")
            .contains("ndots:3");
        assertThat(Files.readString(out.resolve("workdir")).trim()).isEqualTo("/tmp");
        assertThat(Files.readString(out.resolve("groups")).trim().split(" ")).contains("1234");
        assertThat(Files.readString(out.resolve("oom_score_adj")).trim()).isEqualTo("123");
        assertThat(Files.readString(out.resolve("hostname")).trim()).isEqualTo("provisioner");

        // Limits and the log driver as the engine recorded them for the action and for the target.
        JsonNode given = action.inspected().path("HostConfig");
        JsonNode target = agent.inspect(targetId).path("HostConfig");
        for (String field : List.of("Memory", "PidsLimit", "NanoCpus", "Init", "ShmSize", "Ulimits", "Sysctls", "Tmpfs",
            "ReadonlyRootfs", "GroupAdd", "ExtraHosts", "Dns", "DnsSearch", "DnsOptions", "OomScoreAdj")) {
            assertThat(target.get(field)).as(field).isEqualTo(given.get(field));
        }
        assertThat(target.at("/LogConfig/Type")).as("the log driver").isEqualTo(given.at("/LogConfig/Type"));
        assertThat(target.at("/LogConfig/Config")).as("its options").isEqualTo(given.at("/LogConfig/Config"));
    }

    /** Stopped at once: during the clone's own start (the native executable's, Quarkus's, the validation). */
    private static final String START = "its start";

    List<String> stopMoments() {
        return image().equals(WAITDAEMON_NATIVE) ? List.of(START, "runtime selected", "waiting before starting the target")
            : List.of("runtime selected", "waiting before starting the target");
    }

    /**
     * Stopped at three moments: at once (its start, before it has logged anything: before, that exited
     * 143 without a word), as soon as it has chosen its runtime (before it finds its own container,
     * tidies, reads its image and waits for the action's exit), and during the wait itself.
     * <p>
     * "At once" is the native image's case only. A JVM installs its own SIGTERM handler (exit 143) while it
     * boots, before waitdaemon's main can take SIGTERM over: a stop in that window, some 0.1 s and longer on a
     * loaded machine, ends the JVM clone with 143 (seen in CI with a stop right after the first fork's exit).
     * The native executable takes SIGTERM over within milliseconds of its start; before that, as the PID 1 of
     * its pid namespace without a handler, it does not receive the signal at all (pid_namespaces(7)).
     */
    @ParameterizedTest(name = "stopped after ''{0}''")
    @MethodSource("stopMoments")
    void aSigtermBeforeTheTargetLogsWhyItWasNotStartedAndExitsFour(String moment) throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "120"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String cloneId = engine.labelled("waitdaemon.phase=clone", "waitdaemon.action=" + action.actionId()).get(0);
        if (!moment.equals(START)) {
            awaitLogEvent(cloneId, moment, Duration.ofSeconds(40));
        }

        engine.ok("stop", "--time", "30", cloneId);

        assertThat(agent.inspect(cloneId).at("/State/ExitCode").asInt()).isEqualTo(4);
        assertThat(logEvents(cloneId)).filteredOn(event -> event.path("message").asText().startsWith("target not started"))
            .singleElement().satisfies(event -> {
                assertThat(event.path("level").asText()).isEqualTo("WARN");
                assertThat(event.path("message").asText()).contains("SIGTERM").contains(TARGET);
            });
        // The clone has exited: nothing is left that could start the target.
        assertThat(engine.labelled("waitdaemon.phase=target", "waitdaemon.action=" + action.actionId())).isEmpty();
        assertThat(statusJson(action).path("targetState").asText()).isEqualTo("not started: the clone was stopped during its wait");
    }

    @Test
    void statusListsTheRunsNewestFirstAsATable() throws Exception {
        Outcome finished = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0"));
        awaitTarget(finished, Duration.ofSeconds(40));
        Outcome waiting = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "300"));
        assertThat(List.of(finished.exitCode(), waiting.exitCode())).containsOnly(0);

        Outcome status = status();

        assertThat(status.exitCode()).as(describe(status)).isZero();
        List<String> lines = status.stdout().lines().toList();
        assertThat(lines.get(0)).startsWith("ACTION").contains("IMAGE", "CLONE STATE", "TARGET STATE", "CREATED");
        int waitingRow = indexOf(lines, waiting.actionId().substring(0, 12));
        int finishedRow = indexOf(lines, finished.actionId().substring(0, 12));
        assertThat(waitingRow).as("newest first").isPositive().isLessThan(finishedRow);
        assertThat(lines.get(waitingRow)).contains("running", "not started yet: the clone is waiting", TARGET);
        assertThat(lines.get(finishedRow)).contains("exited (0)");
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code waitdaemon status ARGS} run as a container on this engine, reaching it as an action does. */
    Outcome status(String... args) {
        List<String> command = new ArrayList<>(List.of("status"));
        command.addAll(List.of(args));
        return agent.run(reach(Action.of().withCommand(command.toArray(String[]::new))));
    }

    /** The action's run in {@code status --output json}. */
    JsonNode statusJson(Outcome action) throws IOException {
        Outcome status = status("--output", "json");
        assertThat(status.exitCode()).as(describe(status)).isZero();
        JsonNode runs = json.readTree(status.stdout());
        assertThat(runs.isArray()).as(status.stdout()).isTrue();
        for (JsonNode run : runs) {
            if (run.path("actionId").asText().equals(action.actionId())) {
                return run;
            }
        }
        throw new AssertionError("no run of " + action.actionId() + " in " + status.stdout());
    }

    @Test
    void aDryRunChecksEverythingPrintsTheCloneAndTheTargetAndCreatesNothing(@TempDir Path out) {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "7", "WAITDAEMON_DRY_RUN", "true",
                "API_TOKEN", "hunter2-in-the-env")
            .withVolumes(List.of(out + ":/out")).withCommand("reboot", "-f")
            .withCreateOptions("--add-host", "provisioner.test:10.9.8.7"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(action.stdout()).as("every inherited setting, in the engine's spelling")
            .contains("also inherited: ").contains("ExtraHosts=[\"provisioner.test:10.9.8.7\"]");
        assertThat(action.stdout()).contains("waitdaemon dry run: nothing was pulled or created",
            "runtime: " + expectedRuntime(), "present (", "action: container " + action.actionId(),
            "clone (started now; the action then exits 0):", "target (started 7 s after the action has exited):",
            "command: [\"reboot\" \"-f\"]", "API_TOKEN", "(values hidden)", out + ":/out",
            "waitdaemon.phase=clone", "waitdaemon.phase=target", "waitdaemon.action=" + action.actionId())
            .doesNotContain("WAITDAEMON_DRY_RUN,");
        assertThat(action.stdout() + action.stderr()).doesNotContain("hunter2-in-the-env");
        assertNothingStarted(action);
    }

    @Test
    void aDryRunDoesNotPullAnImageOnlyTheRegistryHasAndFailsOnBadConfigurationAsTheActionWould() {
        String image = TestRegistries.pushToOpen(TARGET, "waitdaemon-dry-run");

        Outcome action = run(Action.of("IMAGE", image, "WAIT_SECONDS", "0", "WAITDAEMON_DRY_RUN", "yes"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(action.stdout()).contains("not here; it would be pulled from " + TestRegistries.open() + " with credentials none");
        assertThat(engine.run("image", "inspect", image).exitCode()).as("the image was not pulled").isNotZero();
        assertNothingStarted(action);

        Outcome bad = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "soon", "WAITDAEMON_DRY_RUN", "true"));
        assertThat(bad.exitCode()).as(describe(bad)).isEqualTo(3);
        assertThat(bad.stderr()).contains("WAIT_SECONDS='soon' is not a whole number of seconds");
        assertThat(bad.stdout()).doesNotContain("waitdaemon dry run");
    }

    @Test
    void aMountGivenAsMountReachesTheCloneAndTheTargetExactlyOnce(@TempDir Path out) throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0")
            .withMounts(List.of("type=bind,source=" + out + ",target=/out")));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);
        assertThat(Files.readString(out.resolve("entrypoint")).trim()).isEqualTo("ran");
        for (String id : engine.labelled("waitdaemon.action=" + action.actionId())) {
            List<JsonNode> atOut = new ArrayList<>();
            agent.inspect(id).path("Mounts").forEach(mount -> {
                if (mount.path("Destination").asText().equals("/out")) {
                    atOut.add(mount);
                }
            });
            assertThat(atOut).as("mounts at /out of " + id).hasSize(1);
        }
    }

    /**
     * A --mount whose source holds a comma and a quote: docker and podman read the value as one CSV
     * record, so such a field must be quoted (before, a CLI runtime's create refused it: the action
     * failed). The agent gives it the same way, except where it creates through podman's API, which
     * refuses such a mount: there it is a bind (-v), which podman reports as such.
     */
    @Test
    void aMountWhoseSourceHasACommaAndAQuoteReachesTheTarget(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out, \"quoted\""));
        Action given = Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0");
        Outcome action = run(engine.createsThroughPodmansApi() ? given.withVolumes(List.of(out + ":/out"))
            : given.withMounts(List.of("type=bind,\"source=" + out.toString().replace("\"", "\"\"") + "\",target=/out")));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        engine.ok("wait", awaitTarget(action, Duration.ofSeconds(40)));
        assertThat(Files.readString(out.resolve("entrypoint")).trim()).isEqualTo("ran");
    }

    @Test
    void aTargetThatFailsShowsInTheClonesLogWithItsExitCodeAndLastOutput() throws Exception {
        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0")
            .withCommand("sh", "-c", "echo loading kernel; echo 'kexec failed: no kernel' >&2; exit 3"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        awaitTarget(action, Duration.ofSeconds(40));
        String cloneId = engine.labelled("waitdaemon.phase=clone", "waitdaemon.action=" + action.actionId()).get(0);
        assertThat(engine.ok("wait", cloneId)).as("the clone's own exit code keeps its meaning").isEqualTo("0");
        List<JsonNode> exits = logEvents(cloneId).stream()
            .filter(event -> event.path("message").asText().equals("target exited")).toList();
        assertThat(exits).singleElement().satisfies(event -> {
            assertThat(event.path("level").asText()).isEqualTo("ERROR");
            assertThat(event.at("/mdc/exitCode").asText()).isEqualTo("3");
            assertThat(event.at("/mdc/output").asText()).contains("loading kernel", "kexec failed: no kernel");
        });
        JsonNode run = statusJson(action);
        assertThat(run.at("/target/exitCode").asInt()).isEqualTo(3);
        assertThat(run.path("targetState").asText()).isEqualTo("exited (3)");
        assertThat(run.at("/clone/id").asText()).isEqualTo(cloneId);
        assertThat(run.path("image").asText()).endsWith("busybox:test");
    }

    /**
     * Smee hears how the target ended, once: from the clone itself where the engine's log driver is not syslog
     * (the host's engines, the IPA-like machine), from the engine alone where it is (HookOS's Docker). The
     * address is WAITDAEMON_SYSLOG's (a VM booted as Smee boots the OSIE tests the kernel command line's).
     */
    @Test
    void theClonesReportOfAFailedTargetReachesSmeeOnce() throws Exception {
        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "WAITDAEMON_SYSLOG", smeeAddress())
            .withNetwork("host").withCommand("sh", "-c", "echo 'kexec_load failed: Invalid argument'; exit 3"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        awaitTarget(action, Duration.ofSeconds(40));
        String cloneId = engine.labelled("waitdaemon.phase=clone", "waitdaemon.action=" + action.actionId()).get(0);
        assertThat(engine.ok("wait", cloneId)).isEqualTo("0");
        // The clone has exited: whatever it sent was sent before.
        assertThat(awaitSmeeEvents(action.actionId(), "\"message\":\"target exited\"", Duration.ofSeconds(60)))
            .singleElement().asString().contains("\"exitCode\":\"3\"").contains("kexec_load failed: Invalid argument");
    }

    @Test
    void aTemplateWrittenForTheGoWaitdaemonWorksUnchanged() throws Exception {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0", "NSENTER_HOST", "1",
            "NERDCTL_NAMESPACE", "", "CONTAINERD_NAMESPACE", ""));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        awaitTarget(action, Duration.ofSeconds(40));
        List<String> warnings = new ArrayList<>();
        for (String line : action.stdout().split("\n")) {
            JsonNode event = line.isBlank() ? null : json.readTree(line);
            if (event != null && event.path("level").asText().equals("WARN")) {
                warnings.add(event.path("message").asText());
            }
        }
        assertThat(warnings).contains("NERDCTL_NAMESPACE is set but empty: using its default, as the Go waitdaemon does",
            "CONTAINERD_NAMESPACE is set but empty: using its default, as the Go waitdaemon does");
    }

    @Test
    void anEmptyImageIsInvalidConfigurationEvenWhenTheCommandLooksLikeOptions() {
        Outcome action = run(Action.of("IMAGE", "", "WAIT_SECONDS", "0").withCommand("--help"));

        assertThat(action.exitCode()).as(describe(action)).isEqualTo(3);
        assertThat(action.stderr()).contains("waitdaemon: invalid configuration: IMAGE is set but empty");
        assertNothingStarted(action);
    }

    @Test
    void aMissingImageFailsAsInvalidConfigurationAndStartsNothing() {
        Outcome action = run(Action.of("WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).isEqualTo(3);
        assertThat(action.stderr()).contains("waitdaemon: invalid configuration: IMAGE is not set");
        assertNothingStarted(action);
    }

    @Test
    void aBadWaitFailsAsInvalidConfigurationAndStartsNothing() {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "1½"));

        assertThat(action.exitCode()).isEqualTo(3);
        assertThat(action.stderr()).as("the value comes back as it was set, in UTF-8")
            .contains("WAIT_SECONDS='1½' is not a whole number of seconds");
        assertNothingStarted(action);
    }

    @Test
    void aRegistryThatIsDownFailsTheFirstForkAfterItsRetriesAndStartsNothing() {
        Outcome action = run(Action.of("IMAGE", "127.0.0.1:9/waitdaemon/absent:1", "WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).as(describe(action)).isEqualTo(1);
        assertThat(action.stderr()).contains("IMAGE 127.0.0.1:9/waitdaemon/absent:1 could not be pulled after 5 attempts");
        assertThat(events(action, "pull failed; retrying")).hasSize(4);
        assertNothingStarted(action);
    }

    @Test
    void aRegistryThatIsDownDoesNotMatterWhenTheImageIsThere() {
        String present = "127.0.0.1:9/waitdaemon/present:" + Long.toHexString(System.nanoTime());
        engine.ok("tag", TARGET, present);
        try {
            Outcome action = run(Action.of("IMAGE", present, "WAIT_SECONDS", "0"));

            assertThat(action.exitCode()).as(describe(action)).isZero();
            assertThat(events(action, "pulling image")).isEmpty();
        } finally {
            engine.run("image", "rm", present);
        }
    }

    @Test
    void pullsAnImageOnlyTheRegistryHasAndStartsIt(@TempDir Path out) throws Exception {
        String image = TestRegistries.pushToOpen(TARGET, "waitdaemon-target");

        Outcome action = run(Action.of("IMAGE", image, "WAIT_SECONDS", "0").withVolumes(List.of(out + ":/out"))
            .withCommand("pulled"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(events(action, "image pulled")).hasSize(1);
        engine.ok("wait", awaitTarget(action, Duration.ofSeconds(40)));
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("pulled");
    }

    @Test
    void pullsAPinnedDigestAndTheEngineReportsThatDigest(@TempDir Path out) throws Exception {
        String tagged = TestRegistries.pushToOpen(TARGET, "waitdaemon-target");
        String digest = TestRegistries.digestOf(tagged);
        String pinned = tagged.substring(0, tagged.lastIndexOf(':')) + "@" + digest;

        Outcome action = run(Action.of("IMAGE", pinned, "WAIT_SECONDS", "0").withVolumes(List.of(out + ":/out")));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        engine.ok("wait", awaitTarget(action, Duration.ofSeconds(40)));
        assertThat(Files.readString(out.resolve("entrypoint")).trim()).isEqualTo("ran");
        assertThat(engine.ok("image", "inspect", "--format", "{{json .RepoDigests}}", pinned)).contains(digest);
    }

    @Test
    void pullsFromAPrivateRegistryWithTheAgentsVariablesAndThePasswordGoesNowhereElse(@TempDir Path out) throws Exception {
        String image = TestRegistries.pushToPrivate(TARGET, "private/target");
        String password = TestRegistries.password();
        // Generated passwords have dollars: the value must reach the pull byte for byte, never expanded.
        assertThat(password).as("test.sh's password").contains("$$", "${HOME}").endsWith("${");

        Outcome action = run(Action.of("IMAGE", image, "WAIT_SECONDS", "0", "REGISTRY_USERNAME", TestRegistries.user(),
            "REGISTRY_PASSWORD", password).withVolumes(List.of(out + ":/out")));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);
        assertThat(action.stdout() + action.stderr()).doesNotContain(password);
        for (String id : engine.labelled("waitdaemon.action=" + action.actionId())) {
            assertThat(engine.ok("inspect", id)).as("the clone's and the target's config").doesNotContain(password)
                .doesNotContain("REGISTRY_USERNAME");
            EngineCli.Result logs = engine.run("logs", id);
            assertThat(logs.out() + logs.err()).doesNotContain(password);
        }
        assertThat(Files.readString(out.resolve("env"))).doesNotContain(password).doesNotContain("REGISTRY_");
        for (Path hostConfig : List.of(Path.of("/root/.docker/config.json"), Path.of("/run/containers/0/auth.json"))) {
            if (Files.exists(hostConfig)) {
                assertThat(Files.readString(hostConfig)).as(hostConfig + ", the host's own").doesNotContain(password)
                    .doesNotContain(TestRegistries.privateRegistry());
            }
        }
    }

    @Test
    void pullsFromAPrivateRegistryWithADockerConfigMountedIntoTheActionAndKeepsItFromTheCloneAndTarget(
        @TempDir Path folder, @TempDir Path out) throws Exception {
        String image = TestRegistries.pushToPrivate(TARGET, "private/target");
        Path config = TestRegistries.dockerConfig(folder, TestRegistries.privateRegistry(), TestRegistries.user(),
            TestRegistries.password());

        Outcome action = run(Action.of("IMAGE", image, "WAIT_SECONDS", "0")
            .withVolumes(List.of(config + ":/root/.docker/config.json:ro", out + ":/out")));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(events(action, "pulling image")).singleElement()
            .satisfies(event -> assertThat(event.at("/mdc/credentials").asText()).isEqualTo("/root/.docker/config.json"));
        assertThat(events(action, "the registry credentials file stays with the pull: masked with an empty file in the clone and the target"))
            .singleElement().satisfies(event -> assertThat(event.at("/mdc/file").asText()).isEqualTo("/root/.docker/config.json"));
        String targetId = awaitTarget(action, Duration.ofSeconds(40));
        engine.ok("wait", targetId);
        assertThat(Files.readString(out.resolve("docker-config")).trim()).as("the target cannot read the credentials file")
            .isEqualTo("masked");
        assertThat(Files.readString(out.resolve("entrypoint")).trim()).as("the mount next to it still arrives").isEqualTo("ran");
        for (String id : engine.labelled("waitdaemon.action=" + action.actionId())) {
            assertThat(texts(agent.inspect(id).at("/HostConfig/Binds"))).as("the clone's and the target's binds")
                .noneMatch(bind -> bind.startsWith(config.toString())).anyMatch(bind -> bind.startsWith(out + ":/out"))
                .anyMatch(bind -> bind.startsWith("/dev/null:/root/.docker/config.json"));
        }
    }

    /**
     * -v tree:/host -e DOCKER_CONFIG=/host/root/.docker: before, the whole /host was left out, and a kexec
     * target lost /host/boot. Now the credentials file alone is masked, and the rest of /host arrives.
     */
    @Test
    void onlyTheCredentialsFileIsKeptFromTheTargetNotTheMountThatCarriesIt(@TempDir Path tree, @TempDir Path out) throws Exception {
        Path docker = Files.createDirectories(tree.resolve("root/.docker"));
        Files.writeString(docker.resolve("config.json"), "{\"auths\":{\"registry.example:5000\":{\"auth\":\"dXNlcjpzM2NyM3Q=\"}}}");
        Files.writeString(Files.createDirectories(tree.resolve("boot")).resolve("vmlinuz"), "the installed kernel\n");

        Outcome action = run(Action.of("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "DOCKER_CONFIG", "/host/root/.docker")
            .withVolumes(List.of(tree + ":/host", out + ":/out"))
            .withCommand("sh", "-c", "cat /host/boot/vmlinuz > /out/boot; wc -c < /host/root/.docker/config.json > /out/config-bytes"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        assertThat(events(action, "the registry credentials file stays with the pull: masked with an empty file in the clone and the target"))
            .singleElement().satisfies(event -> assertThat(event.at("/mdc/file").asText()).isEqualTo("/host/root/.docker/config.json"));
        engine.ok("wait", awaitTarget(action, Duration.ofSeconds(40)));
        assertThat(Files.readString(out.resolve("boot"))).isEqualTo("the installed kernel\n");
        assertThat(Files.readString(out.resolve("config-bytes")).trim()).as("the credentials file, empty to the target").isEqualTo("0");
        assertThat(Files.readString(docker.resolve("config.json"))).as("the host's file itself is untouched").contains("auths");
    }

    @Test
    void aPrivateRegistryWithoutCredentialsFailsNamingItAndBothWaysToGiveThem() throws Exception {
        String image = TestRegistries.pushToPrivate(TARGET, "private/target");

        Outcome action = run(Action.of("IMAGE", image, "WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).as(describe(action)).isEqualTo(1);
        assertThat(action.stderr()).contains(TestRegistries.privateRegistry() + " wants credentials and none were given",
            "REGISTRY_USERNAME and REGISTRY_PASSWORD", "/root/.docker/config.json");
        assertThat(events(action, "pull failed; retrying")).isEmpty();
        assertNothingStarted(action);
    }

    @Test
    void aDockerConfigWhoseOnlySourceIsACredentialHelperIsSaidSo(@TempDir Path folder) throws Exception {
        String image = TestRegistries.pushToPrivate(TARGET, "private/target");
        Path config = Files.writeString(folder.resolve("config.json"), "{\"auths\":{\"" + TestRegistries.privateRegistry()
            + "\":{}},\"credsStore\":\"desktop\"}");

        Outcome action = run(Action.of("IMAGE", image, "WAIT_SECONDS", "0")
            .withVolumes(List.of(config + ":/root/.docker/config.json:ro")));

        assertThat(action.exitCode()).as(describe(action)).isEqualTo(1);
        assertThat(action.stderr()).contains("/root/.docker/config.json leaves the credentials for "
            + TestRegistries.privateRegistry() + " to the credential helper docker-credential-desktop, which cannot run inside the action");
        assertNothingStarted(action);
    }

    @Test
    void aPasswordWithoutAUserIsInvalidConfigurationAndNeverEchoed() {
        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0", "REGISTRY_PASSWORD", "s3cr3t-value"));

        assertThat(action.exitCode()).as(describe(action)).isEqualTo(3);
        assertThat(action.stderr()).contains("REGISTRY_PASSWORD is set without REGISTRY_USERNAME");
        assertThat(action.stdout() + action.stderr()).doesNotContain("s3cr3t-value");
        assertNothingStarted(action);
    }

    @Test
    void refusedCredentialsFailAtOnceAndAreNeverShown() throws Exception {
        String image = TestRegistries.pushToPrivate(TARGET, "private/target");
        String wrong = "wrong-" + Long.toHexString(System.nanoTime());

        Outcome action = run(Action.of("IMAGE", image, "WAIT_SECONDS", "0", "REGISTRY_USERNAME", TestRegistries.user(),
            "REGISTRY_PASSWORD", wrong));

        assertThat(action.exitCode()).as(describe(action)).isEqualTo(1);
        assertThat(action.stderr()).contains(TestRegistries.privateRegistry()
            + " refused the credentials from REGISTRY_USERNAME/REGISTRY_PASSWORD");
        assertThat(action.stdout() + action.stderr()).doesNotContain(wrong);
        assertThat(events(action, "pull failed; retrying")).isEmpty();
        assertNothingStarted(action);
    }

    @Test
    void withNoRuntimeReachableEveryCandidateIsNamedWithItsReason() {
        // "0", as templates for the Go waitdaemon spell false: the CLIs are then looked for inside the action.
        Outcome action = agent.run(Action.of("IMAGE", TARGET, "NERDCTL_HOST", "0"));

        assertThat(action.exitCode()).as(describe(action)).isEqualTo(12);
        assertThat(action.stderr()).contains("no container runtime answered (CONTAINER_RUNTIME=auto)").contains(EVERY_CANDIDATE)
            .as("the message's dashes come out as UTF-8, not '?'").contains("mount it into the action").contains(" — ");
        assertNothingStarted(action);
    }

    @Test
    void removesExitedClonesOfEarlierRunsButKeepsTheNewest() throws InterruptedException {
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            earlier.add(engine.ok("run", "--detach", "--label", "waitdaemon.phase=clone", "--label",
                "waitdaemon.action=earlier", BUSYBOX, "true"));
        }
        earlier.forEach(id -> engine.ok("wait", id));

        Outcome action = run(Action.of("IMAGE", TARGET, "WAIT_SECONDS", "0"));

        assertThat(action.exitCode()).as(describe(action)).isZero();
        // The clone tidies before its wait, so by the time the target exists the old clones are gone.
        awaitTarget(action, Duration.ofSeconds(40));
        assertThat(engine.labelled("waitdaemon.action=earlier")).hasSize(3);
    }

    /** A container's JSON log events (its stdout). */
    List<JsonNode> logEvents(String containerId) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : engine.run("logs", containerId).out().split("\n")) {
            if (!line.isBlank()) {
                events.add(json.readTree(line));
            }
        }
        return events;
    }

    private void awaitLogEvent(String containerId, String message, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (logEvents(containerId).stream().anyMatch(event -> event.path("message").asText().equals(message))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + message + "' event from " + containerId + " within " + limit + ": "
            + engine.run("logs", containerId).out());
    }

    /** The action's log events with this message. */
    private List<JsonNode> events(Outcome action, String message) {
        List<JsonNode> found = new ArrayList<>();
        for (String line : action.stdout().split("\n")) {
            try {
                JsonNode event = line.isBlank() ? null : json.readTree(line);
                if (event != null && event.path("message").asText().equals(message)) {
                    found.add(event);
                }
            } catch (IOException notJson) {
                throw new AssertionError("not a JSON line on stdout: " + line, notJson);
            }
        }
        return found;
    }

    private void assertNothingStarted(Outcome action) {
        assertThat(engine.labelled("waitdaemon.action=" + action.actionId())).as("containers descending from the action").isEmpty();
    }

    /** Smee's stand-in on the host's loopback, opened for the first test that needs it. */
    private SmeeStandIn hostSmee;

    /** Smee's syslog receiver as an action on the host's network reaches it: WAITDAEMON_SYSLOG's value. */
    String smeeAddress() throws IOException {
        if (hostSmee == null) {
            hostSmee = new SmeeStandIn();
        }
        return hostSmee.address();
    }

    /** Every datagram Smee's stand-in has received. */
    String smeeReceived() throws IOException {
        return hostSmee == null ? "" : hostSmee.received();
    }

    @AfterAll
    void smeeOff() {
        if (hostSmee != null) {
            hostSmee.close();
        }
    }

    /**
     * The syslog datagrams (each begins with its priority, {@code <NN>}) of this action's run that carry
     * {@code text}, once at least one has arrived: waits for it, within a bound.
     */
    List<String> awaitSmeeEvents(String actionId, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String received = smeeReceived();
            List<String> found = new ArrayList<>();
            for (String datagram : received.split("(?=<[0-9]{1,3}>)")) {
                if (datagram.contains(text) && datagram.contains(actionId)) {
                    found.add(datagram);
                }
            }
            if (!found.isEmpty()) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Smee's stand-in got no " + text + " of " + actionId + " within " + limit
                    + ": " + received.substring(Math.max(0, received.length() - 4000)));
            }
            Thread.sleep(200);
        }
    }

    String awaitTarget(Outcome action, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> targets = engine.labelled("waitdaemon.phase=target", "waitdaemon.action=" + action.actionId());
            // Created is not yet started, and a wait on it would return at once, before the target ran.
            if (!targets.isEmpty()
                && EngineTimes.parse(agent.inspect(targets.get(0)).at("/State/StartedAt").asText()).isPresent()) {
                return targets.get(0);
            }
            Thread.sleep(200);
        }
        String cloneLogs = engine.labelled("waitdaemon.phase=clone", "waitdaemon.action=" + action.actionId()).stream()
            .map(id -> engine.run("logs", id)).map(r -> r.out() + r.err()).reduce("", String::concat);
        throw new AssertionError("no target within " + limit + "; clone logs: " + cloneLogs + "\n" + describe(action));
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    /** Docker reports capabilities with or without the CAP_ prefix, depending on how they were given. */
    static List<String> capabilities(JsonNode array) {
        return texts(array).stream().map(cap -> cap.replaceFirst("^CAP_", "")).toList();
    }

    static String describe(Outcome action) {
        return "action exit " + action.exitCode() + "\nstdout:\n" + action.stdout() + "\nstderr:\n" + action.stderr();
    }
}
