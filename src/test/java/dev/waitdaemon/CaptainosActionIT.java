package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.containerd.ContainerdModel;
import dev.waitdaemon.runtime.containerd.GrpcContainerdApi;
import dev.waitdaemon.support.ContainerdAgentEmulator;
import dev.waitdaemon.support.ContainerdAgentEmulator.Outcome;
import dev.waitdaemon.support.MachineLogOnFailure;
import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TestRegistries;

/**
 * CaptainOS as operators run it: containerd 2.1.9 as the machine's PID 1, actions created as tink-agent's
 * containerd runtime creates them (privileged, {@code pid: host}, host network, its DNS files, deleted at
 * once when they succeed), no volume for the socket and CONTAINER_RUNTIME left to auto: waitdaemon reaches
 * the machine's containerd through PID 1's root and must pick its own API.
 */
@ExtendWith(MachineLogOnFailure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptainosActionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TARGET = ActionContractIT.TARGET;
    static final String BUSYBOX = ActionContractIT.BUSYBOX;
    private static final Duration ACTION_EXIT_LIMIT = Duration.ofSeconds(20);
    private static final String OUTPUT_FOLDER = "/var/log/waitdaemon/" + TestMachine.CAPTAINOS_NAMESPACE + "/";

    private final TestMachine machine = TestMachine.captainos();
    private ContainerdAgentEmulator agent;
    private String image;

    /** The waitdaemon image under test. */
    String imageUnderTest() {
        return ActionContractIT.WAITDAEMON;
    }

    @BeforeAll
    void startMachine() throws IOException {
        machine.start(List.of(imageUnderTest(), TARGET, BUSYBOX));
        agent = new ContainerdAgentEmulator(machine);
        image = machine.containerdImage(imageUnderTest());
    }

    @AfterAll
    void machineOff() {
        machine.stop();
    }

    @BeforeEach
    void noWaitdaemonContainersAround() throws Exception {
        try (GrpcContainerdApi api = api()) {
            for (ContainerdModel.Container container : api.containers("labels.\"waitdaemon.phase\"")) {
                machine.ctrRun("tasks", "delete", "--force", container.id());
                machine.ctrRun("containers", "delete", container.id());
            }
        }
    }

    private GrpcContainerdApi api() throws Exception {
        return GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE);
    }

    private Outcome run(Map<String, String> env, List<String> command, List<String> volumes) throws IOException {
        return agent.run(new ContainerdAgentEmulator.Action("waitdaemon", image, command, env, volumes, true));
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void reportsAtOnceThenStartsTheTargetAfterTheWaitWithTheActionsCommandEnvAndVolumes(@TempDir Path out) throws Exception {
        Outcome action = run(env("IMAGE", TARGET, "WAIT_SECONDS", "3", "GREETING", "hello world", "SALUTATION", "grüße — ✓"),
            List.of("--help", "-c", "a b", "-Dquarkus.log.level=OFF", "--"), List.of(out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        assertThat(action.elapsed()).isLessThan(ACTION_EXIT_LIMIT);
        assertThat(action.output()).contains("\"runtime\":\"containerd-api\"")
            .as("no warning on a successful action").doesNotContain("\"level\":\"WARN");

        Path entrypoint = awaitFile(out.resolve("entrypoint"), Duration.ofSeconds(60));
        assertThat(Files.readString(entrypoint).trim()).as("the target image's own entrypoint ran").isEqualTo("ran");
        Instant targetRan = Files.getLastModifiedTime(out.resolve("args")).toInstant();
        // A file's time is the kernel's coarse clock, up to a tick (10 ms at HZ=100) behind containerd's.
        assertThat(Duration.between(action.finishedAt(), targetRan))
            .as("WAIT_SECONDS counts from the action's exit as containerd recorded it").isGreaterThanOrEqualTo(Duration.ofSeconds(3).minusMillis(10));
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("--help", "-c", "a b", "-Dquarkus.log.level=OFF", "--");
        List<String> targetEnv = Files.readAllLines(out.resolve("env"));
        assertThat(targetEnv).contains("GREETING=hello world", "SALUTATION=grüße — ✓", "IMAGE=" + TARGET, "WAIT_SECONDS=3")
            .noneMatch(line -> line.startsWith("WAITDAEMON_PHASE="))
            .filteredOn(line -> line.startsWith("PATH=")).containsExactly("PATH=/bin");

        try (GrpcContainerdApi api = api()) {
            List<ContainerdModel.Container> targets = api.containers("labels.\"waitdaemon.phase\"==target");
            List<ContainerdModel.Container> clones = api.containers("labels.\"waitdaemon.phase\"==clone");
            assertThat(targets).hasSize(1);
            assertThat(clones).hasSize(1);
            ContainerdModel.Container target = targets.get(0);
            ContainerdModel.Container clone = clones.get(0);
            assertThat(target.labels()).containsEntry("waitdaemon.action", action.actionId())
                .containsEntry("nerdctl/namespace", TestMachine.CAPTAINOS_NAMESPACE).containsKey("nerdctl/name");
            assertThat(target.image()).isEqualTo(machine.containerdImage(TARGET));
            // The action's spec, but for its process: namespaces, capabilities, devices as tink-agent set them.
            JsonNode cloneSpec = JSON.readTree(clone.specJson());
            JsonNode targetSpec = JSON.readTree(target.specJson());
            for (String part : List.of("/linux/namespaces", "/process/capabilities", "/linux/devices", "/linux/resources/devices")) {
                assertThat(targetSpec.at(part)).as(part).isEqualTo(cloneSpec.at(part));
            }
            // pid: host and host network as the machine's, the action's own ipc, uts and mount namespaces: never the machine's.
            assertThat(JSON.readTree(targetSpec.at("/linux/namespaces").toString())).isEqualTo(JSON.readTree(
                "[{\"type\":\"pid\",\"path\":\"/proc/1/ns/pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},"
                    + "{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}]"));
            // The action ended only once its clone watched containerd's exits (the first fork heard it say so), so
            // the wait counts from containerd's own exit time, though the agent deleted the action at once.
            assertThat(action.output()).contains("the clone watches for the action's exit");
            String cloneLog = machine.machineFile(OUTPUT_FOLDER + clone.id() + ".log");
            assertThat(cloneLog.lines().filter(line -> line.contains("waiting before starting the target")).toList()).as(cloneLog)
                .singleElement().asString().contains("\"exitTimeFrom\":\"engine\"");
        }
    }

    /**
     * tink-agent removes the resolv.conf, hosts and hostname files it bound into the action once the action
     * has exited: the target still gets the very files the action had (the clone's, which it holds).
     */
    @Test
    void theTargetGetsTheActionsDnsFilesAfterTheAgentRemovedThem(@TempDir Path out) throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "1"),
            List.of("sh", "-c", "cat /etc/resolv.conf /etc/hostname > /out/seen; echo done > /out/done"), List.of(out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        awaitFile(out.resolve("done"), Duration.ofSeconds(60));
        assertThat(Files.readString(out.resolve("seen"))).isEqualTo("nameserver 127.0.0.1\n" + machine.hostname() + "\n");
    }

    /** With host networking tink-agent names the action after the machine (the spec's hostname): so is the target. */
    @Test
    void worksWithHostNetworkingWhereTheHostnameIsTheMachines(@TempDir Path out) throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"),
            List.of("sh", "-c", "hostname > /out/hostname; readlink /proc/self/ns/net > /out/net; echo > /out/done"), List.of(out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        awaitFile(out.resolve("done"), Duration.ofSeconds(60));
        assertThat(Files.readString(out.resolve("hostname")).trim()).isEqualTo(machine.hostname());
        assertThat(Files.readString(out.resolve("net")).trim()).as("the machine's network namespace").isEqualTo(machine.namespace("net"));
    }

    /**
     * Every value reaches the target byte for byte, one of 70,000 characters (over what a CLI's env file
     * reads) and one with spaces at both ends, from an action whose root file system is read-only.
     */
    @Test
    void everyValueReachesTheTargetAsItIs(@TempDir Path out) throws Exception {
        String big = "b".repeat(70_000);
        String spaced = "  spaces at both ends  ";
        Outcome action = agent.run(new ContainerdAgentEmulator.Action("waitdaemon", image,
            List.of("sh", "-c", "printf '%s' \"$SPACED\" > /out/spaced; printf '%s' \"$BIG\" > /out/big; echo > /out/done"),
            env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "SPACED", spaced, "BIG", big), List.of(out + ":/out"), true)
            .withOptions("--read-only"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        awaitFile(out.resolve("done"), Duration.ofSeconds(60));
        assertThat(Files.readString(out.resolve("big"))).isEqualTo(big);
        assertThat(Files.readString(out.resolve("spaced"))).isEqualTo(spaced);
    }

    /**
     * A true clone: what the action's spec holds beyond a template's fields (as an operator's own agent or
     * hand may give it: here ctr's options) reaches the target, as it sees it from inside and in its spec.
     * The working directory given stays (the target image's own only where the action had waitdaemon's).
     */
    @Test
    void everySettingTheActionWasGivenReachesTheTarget(@TempDir Path out) throws Exception {
        Outcome action = agent.run(new ContainerdAgentEmulator.Action("waitdaemon", image,
            List.of("sh", "-c", String.join("; ", "cat /proc/mounts > /out/mounts",
                "pwd > /out/workdir", "echo > /out/done")),
            env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"), List.of(out + ":/out"), true)
            .withOptions("--read-only", "--cwd", "/tmp", "--memory-limit", "268435456", "--cpus", "1.5",
                "--mount", "type=tmpfs,src=tmpfs,dst=/scratch,options=size=1m", "--annotation", "provisioner.test/purpose=reboot"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        awaitFile(out.resolve("done"), Duration.ofSeconds(60));
        List<String> mounts = Files.readAllLines(out.resolve("mounts"));
        assertThat(mounts).anySatisfy(line -> assertThat(line).startsWith("tmpfs /scratch ").contains("size=1024k"));
        assertThat(mounts).as("--read-only").anySatisfy(line -> assertThat(line).matches("\\S+ / \\S+ ro[ ,].*"));
        assertThat(Files.readString(out.resolve("workdir")).trim()).isEqualTo("/tmp");
        try (GrpcContainerdApi api = api()) {
            JsonNode target = JSON.readTree(api.containers("labels.\"waitdaemon.phase\"==target").get(0).specJson());
            assertThat(target.at("/linux/resources/memory/limit").asLong()).isEqualTo(268435456L);
            assertThat(target.at("/linux/resources/cpu/quota").asLong()).isEqualTo(150000L);
            assertThat(target.at("/root/readonly").asBoolean()).isTrue();
            assertThat(target.at("/annotations/provisioner.test~1purpose").asText()).isEqualTo("reboot");
        }
    }

    /** A bind whose source holds a comma and a quote: the spec carries it as it is, and the target writes there. */
    @Test
    void aBindWhoseSourceHasACommaAndAQuoteReachesTheTarget(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out, \"quoted\""));

        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"), List.of("sh", "-c", "echo ran > /out/done"), List.of(out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        assertThat(Files.readString(awaitFile(out.resolve("done"), Duration.ofSeconds(60))).trim()).isEqualTo("ran");
    }

    /**
     * The clone follows the target and reports how it ended: in its output, kept on the machine in
     * /var/log/waitdaemon/NAMESPACE/ID.log, and to Smee (WAITDAEMON_SYSLOG); status reads the run.
     */
    @Test
    void aTargetThatFailsIsReportedWithItsExitCodeAndLastOutputAndStatusShowsIt() throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "WAITDAEMON_SYSLOG", "udp://127.0.0.1:514"),
            List.of("/bin/busybox", "sh", "-c", "echo 'kexec_load failed: Invalid argument'; exit 3"), List.of());
        assertThat(action.exitCode()).as(action.output()).isZero();

        String cloneId;
        try (GrpcContainerdApi api = api()) {
            cloneId = api.containers("labels.\"waitdaemon.phase\"==clone").get(0).id();
            assertThat(api.awaitExit(cloneId, Duration.ofMinutes(1)).status()).as(machine.machineFolderTail(OUTPUT_FOLDER)).isZero();
        }
        String cloneLog = machine.machineFile(OUTPUT_FOLDER + cloneId + ".log");
        String exited = cloneLog.lines().filter(line -> line.contains("\"message\":\"target exited\"")).findFirst().orElse("");
        assertThat(exited).as(cloneLog).contains("\"exitCode\":\"3\"").contains("kexec_load failed: Invalid argument");
        // Nothing forwards a CaptainOS container's output off the machine: the clone itself told Smee, once.
        List<String> reports = List.of(machine.syslog().split("(?=<[0-9]{1,3}>1 )")).stream()
            .filter(datagram -> datagram.contains("\"message\":\"target exited\"") && datagram.contains(action.actionId())).toList();
        assertThat(reports).singleElement().asString().startsWith("<27>1 ").contains(" waitdaemon ").contains("\"exitCode\":\"3\"")
            .contains("kexec_load failed: Invalid argument");

        Outcome status = run(env(), List.of("status", "--output", "json"), List.of());
        assertThat(status.exitCode()).as(status.output()).isZero();
        // The JSON document, after whatever the status command logged before it.
        int start = status.output().startsWith("[") ? 0 : status.output().indexOf("\n[") + 1;
        JsonNode runs = JSON.readTree(status.output().substring(start));
        JsonNode run = null;
        for (JsonNode candidate : runs) {
            if (candidate.path("actionId").asText().equals(action.actionId())) {
                run = candidate;
            }
        }
        assertThat(run).as(status.output()).isNotNull();
        assertThat(run.path("targetState").asText()).isEqualTo("exited (3)");
        assertThat(run.at("/clone/id").asText()).isEqualTo(cloneId);
    }

    /**
     * IMAGE only in a registry: the first fork pulls it through containerd (its transfer service, unpacked for
     * the snapshotter) before the action exits, pinned by digest, and the target runs from it.
     */
    @Test
    void anImageOnlyInTheRegistryIsPulledByDigestThroughContainerdBeforeTheActionExits(@TempDir Path out) throws Exception {
        String tagged = TestRegistries.pushToOpen(BUSYBOX, "captainos-pull");
        String pinned = tagged + "@" + TestRegistries.digestOf(tagged);

        Outcome action = run(env("IMAGE", pinned, "WAIT_SECONDS", "0"), List.of("sh", "-c", "echo pulled > /out/done"),
            List.of(out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        assertThat(action.output()).contains("\"message\":\"image pulled\"");
        assertThat(machine.ctr("images", "list", "--quiet").lines()).contains(pinned);
        assertThat(Files.readString(awaitFile(out.resolve("done"), Duration.ofSeconds(60))).trim()).isEqualTo("pulled");
    }

    /**
     * A registry that wants a login: REGISTRY_USERNAME and REGISTRY_PASSWORD go to containerd's credentials
     * stream for that registry only, and never into the clone's or the target's spec.
     */
    @Test
    void aLoginIsAnsweredOnContainerdsStreamAndStaysWithThePull(@TempDir Path out) throws Exception {
        String reference = TestRegistries.pushToPrivate(BUSYBOX, "captainos-private");

        Outcome action = run(env("IMAGE", reference, "WAIT_SECONDS", "0", "REGISTRY_USERNAME", TestRegistries.user(),
            "REGISTRY_PASSWORD", TestRegistries.password()), List.of("sh", "-c", "env > /out/env; echo ran > /out/done"),
            List.of(out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        awaitFile(out.resolve("done"), Duration.ofSeconds(60));
        assertThat(Files.readString(out.resolve("env"))).doesNotContain(TestRegistries.password()).doesNotContain("REGISTRY_");
        assertThat(action.output()).doesNotContain(TestRegistries.password());
        try (GrpcContainerdApi api = api()) {
            for (ContainerdModel.Container container : api.containers("labels.\"waitdaemon.phase\"")) {
                assertThat(container.specJson()).doesNotContain(TestRegistries.password());
            }
        }
    }

    /**
     * -v tree:/host -e DOCKER_CONFIG=/host/root/.docker: the credentials file alone is masked (an empty file bound
     * over it in the clone's and the target's spec), and the rest of /host arrives.
     */
    @Test
    void onlyTheCredentialsFileIsKeptFromTheTargetNotTheMountThatCarriesIt(@TempDir Path tree, @TempDir Path out) throws Exception {
        Path docker = Files.createDirectories(tree.resolve("root/.docker"));
        Files.writeString(docker.resolve("config.json"), "{\"auths\":{\"registry.example:5000\":{\"auth\":\"dXNlcjpzM2NyM3Q=\"}}}");
        Files.writeString(Files.createDirectories(tree.resolve("boot")).resolve("vmlinuz"), "the installed kernel\n");

        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "DOCKER_CONFIG", "/host/root/.docker"),
            List.of("sh", "-c", "cat /host/boot/vmlinuz > /out/boot; wc -c < /host/root/.docker/config.json > /out/config-bytes; echo > /out/done"),
            List.of(tree + ":/host", out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        assertThat(action.output()).contains("the registry credentials file stays with the pull");
        awaitFile(out.resolve("done"), Duration.ofSeconds(60));
        assertThat(Files.readString(out.resolve("boot"))).isEqualTo("the installed kernel\n");
        assertThat(Files.readString(out.resolve("config-bytes")).trim()).as("the credentials file, empty to the target").isEqualTo("0");
        assertThat(Files.readString(docker.resolve("config.json"))).as("the host's file itself is untouched").contains("auths");
    }

    /** Each clone removes the exited clones of earlier runs but the newest three, with their output files. */
    @Test
    void removesExitedClonesOfEarlierRunsButKeepsTheNewest() throws Exception {
        List<String> clones = new java.util.ArrayList<>();
        try (GrpcContainerdApi api = api()) {
            for (int i = 0; i < 4; i++) {
                Outcome earlier = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"), List.of("true"), List.of());
                assertThat(earlier.exitCode()).as(earlier.output()).isZero();
                String cloneId = api.containers("labels.\"waitdaemon.phase\"==clone,labels.\"waitdaemon.action\"==" + earlier.actionId()).get(0).id();
                assertThat(api.awaitExit(cloneId, Duration.ofMinutes(1)).status()).isZero();
                clones.add(cloneId);
            }

            Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"), List.of("true"), List.of());

            assertThat(action.exitCode()).as(action.output()).isZero();
            // The clone tidies before its wait, so by the time its target has run the oldest clone is gone.
            String cloneId = api.containers("labels.\"waitdaemon.phase\"==clone,labels.\"waitdaemon.action\"==" + action.actionId()).get(0).id();
            assertThat(api.awaitExit(cloneId, Duration.ofMinutes(1)).status()).isZero();
            List<String> left = api.containers("labels.\"waitdaemon.phase\"==clone").stream().map(ContainerdModel.Container::id).toList();
            assertThat(left).doesNotContain(clones.get(0)).contains(clones.get(1), clones.get(2), clones.get(3), cloneId);
            assertThat(machine.machineFile(OUTPUT_FOLDER + clones.get(0) + ".log")).as("its output went with it").isEmpty();
        }
    }

    /** TARGET_FOLLOW_SECONDS bounds how long the clone follows a target that goes on running. */
    @Test
    void aTargetStillRunningAfterTheFollowIsLeftRunningAndSaidSo() throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "TARGET_FOLLOW_SECONDS", "1"), List.of("sleep", "600"), List.of());
        assertThat(action.exitCode()).as(action.output()).isZero();

        try (GrpcContainerdApi api = api()) {
            String cloneId = api.containers("labels.\"waitdaemon.phase\"==clone").get(0).id();
            assertThat(api.awaitExit(cloneId, Duration.ofMinutes(1)).status()).isZero();
            assertThat(machine.machineFile(OUTPUT_FOLDER + cloneId + ".log")).contains("target still running; no longer followed");
            String targetId = api.containers("labels.\"waitdaemon.phase\"==target").get(0).id();
            assertThat(api.task(targetId).status()).isEqualTo(ContainerdModel.TaskStatus.RUNNING);
        }
    }

    /** SIGTERM's rule on containerd too: a clone stopped during its wait starts nothing, says so and exits 4. */
    @Test
    void aCloneStoppedDuringItsWaitStartsNothingAndExitsFour() throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "600"), List.of("true"), List.of());
        assertThat(action.exitCode()).as(action.output()).isZero();

        try (GrpcContainerdApi api = api()) {
            String cloneId = api.containers("labels.\"waitdaemon.phase\"==clone").get(0).id();
            String output = OUTPUT_FOLDER + cloneId + ".log";
            awaitMachineFile(output, "waiting before starting the target", Duration.ofSeconds(60));

            machine.ctr("tasks", "kill", "--signal", "SIGTERM", cloneId);

            assertThat(api.awaitExit(cloneId, Duration.ofMinutes(1)).status()).as(machine.machineFile(output)).isEqualTo(4);
            assertThat(machine.machineFile(output)).contains("target not started");
            assertThat(api.containers("labels.\"waitdaemon.phase\"==target")).isEmpty();
        }
    }

    /** A file of the machine's once it holds {@code text}. */
    private void awaitMachineFile(String path, String text, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!machine.machineFile(path).contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(path + " did not show '" + text + "' within " + limit + ": " + machine.machineFile(path));
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aDryRunPlansOnContainerdAndStartsNothing() throws Exception {
        Outcome action = run(env("IMAGE", TARGET, "WAIT_SECONDS", "7", "WAITDAEMON_DRY_RUN", "true"), List.of("reboot", "-f"), List.of());

        assertThat(action.exitCode()).as(action.output()).isZero();
        assertThat(action.output()).contains("waitdaemon dry run: nothing was pulled or created").contains("runtime: containerd-api")
            .contains("action: container " + action.actionId());
        assertNothingStarted();
    }

    /** tink-agent's CNI bridge ends with the action: refused before anything starts, with what to use instead. */
    @Test
    void anActionOnItsOwnNetworkIsRefusedWithTheFixAndNothingStarts() throws Exception {
        Outcome action = agent.run(new ContainerdAgentEmulator.Action("waitdaemon", image, List.of("reboot"),
            env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"), List.of(), true, false));

        assertThat(action.exitCode()).as(action.output()).isEqualTo(1);
        assertThat(action.output()).contains("set namespaces.network: host in the action's template");
        assertNothingStarted();
    }

    @Test
    void aBadSettingIsOneLineWithTheFixAndNothingStarts() throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "soon"), List.of("reboot"), List.of());

        assertThat(action.exitCode()).as(action.output()).isEqualTo(3);
        assertThat(action.output()).contains("WAIT_SECONDS='soon' is not a whole number of seconds");
        assertNothingStarted();
    }

    /** One JSON event per line on the action's output, each with its phase, image and runtime, and nothing else. */
    @Test
    void logsOneJsonEventPerLineWithPhaseImageRuntimeAndIds() throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"), List.of("true"), List.of());

        assertThat(action.exitCode()).as(action.output()).isZero();
        List<JsonNode> ours = new ArrayList<>();
        for (String line : action.output().split("\n")) {
            JsonNode event = line.isBlank() ? null : JSON.readTree(line);
            if (event != null && event.path("loggerName").asText().equals("waitdaemon")) {
                ours.add(event);
            }
        }
        assertThat(ours).isNotEmpty().allSatisfy(event -> {
            assertThat(event.at("/mdc/phase").asText()).isEqualTo("first-fork");
            assertThat(event.at("/mdc/image").asText()).isEqualTo(BUSYBOX);
            assertThat(event.at("/mdc/runtime").asText()).isEqualTo("containerd-api");
            assertThat(event.has("threadName") || event.has("sequence") || event.has("hostName")).as(event.toString()).isFalse();
        });
        JsonNode started = ours.get(ours.size() - 1);
        assertThat(started.get("message").asText()).startsWith("clone started");
        assertThat(started.at("/mdc/actionId").asText()).isEqualTo(action.actionId());
        assertThat(started.at("/mdc/cloneId").asText()).matches("[0-9a-f]{64}");
    }

    /**
     * An action in a pid namespace of its own (no pid: host; the socket mounted, as the machine's root is then
     * out of reach) gives its clone and target its own namespaces, never the machine's (but the network it
     * shares, as the action does): the review's defect of the host's ipc namespace, on containerd, where the
     * clone is the action's own spec.
     */
    @Test
    void anActionInItsOwnPidNamespaceGivesTheCloneAndTheTargetNoneOfTheMachinesNamespaces(@TempDir Path out) throws Exception {
        Outcome action = agent.run(new ContainerdAgentEmulator.Action("waitdaemon", image,
            List.of("sh", "-c", "readlink /proc/self/ns/ipc > /out/ipc; readlink /proc/self/ns/pid > /out/pid; echo > /out/done"),
            env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"),
            List.of(out + ":/out", "/run/containerd/containerd.sock:/run/containerd/containerd.sock"), false));

        assertThat(action.exitCode()).as(action.output()).isZero();
        awaitFile(out.resolve("done"), Duration.ofSeconds(60));
        assertThat(Files.readString(out.resolve("ipc")).trim()).as("the target's ipc namespace").isNotEqualTo(machine.namespace("ipc"));
        assertThat(Files.readString(out.resolve("pid")).trim()).as("the target's pid namespace").isNotEqualTo(machine.namespace("pid"));
        try (GrpcContainerdApi api = api()) {
            // The action's own: pid, ipc, uts and mount namespaces of its own, and the machine's network (host network).
            JsonNode namespaces = JSON.readTree(api.containers("labels.\"waitdaemon.phase\"==target").get(0).specJson()).at("/linux/namespaces");
            assertThat(JSON.readTree(namespaces.toString())).isEqualTo(JSON.readTree(
                "[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}]"));
        }
    }

    /** A template written for the Go waitdaemon (NSENTER_HOST, empty namespace variables) works unchanged. */
    @Test
    void aTemplateWrittenForTheGoWaitdaemonWorksUnchanged(@TempDir Path out) throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "NSENTER_HOST", "1", "NERDCTL_NAMESPACE", "",
            "CONTAINERD_NAMESPACE", ""), List.of("sh", "-c", "echo ran > /out/done"), List.of(out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        assertThat(action.output()).contains("NERDCTL_NAMESPACE is set but empty: using its default, as the Go waitdaemon does",
            "CONTAINERD_NAMESPACE is set but empty: using its default, as the Go waitdaemon does");
        assertThat(Files.readString(awaitFile(out.resolve("done"), Duration.ofSeconds(60))).trim()).isEqualTo("ran");
    }

    @Test
    void anEmptyOrMissingImageIsInvalidConfigurationAndStartsNothing() throws Exception {
        Outcome empty = run(env("IMAGE", "", "WAIT_SECONDS", "0"), List.of("--help"), List.of());
        Outcome missing = run(env("WAIT_SECONDS", "0"), List.of("reboot"), List.of());

        assertThat(empty.exitCode()).as(empty.output()).isEqualTo(3);
        assertThat(empty.output()).contains("waitdaemon: invalid configuration: IMAGE is set but empty");
        assertThat(missing.exitCode()).as(missing.output()).isEqualTo(3);
        assertThat(missing.output()).contains("waitdaemon: invalid configuration: IMAGE");
        assertNothingStarted();
    }

    /** containerd's transfer service meets a registry that is down: retried, then one line, and nothing started. */
    @Test
    void aRegistryThatIsDownFailsTheFirstForkAfterItsRetriesAndStartsNothing() throws Exception {
        Outcome action = run(env("IMAGE", "127.0.0.1:9/waitdaemon/absent:1", "WAIT_SECONDS", "0"), List.of("reboot"), List.of());

        assertThat(action.exitCode()).as(action.output()).isEqualTo(1);
        assertThat(action.output()).contains("IMAGE 127.0.0.1:9/waitdaemon/absent:1 could not be pulled after 5 attempts");
        assertThat(action.output().lines().filter(line -> line.contains("\"message\":\"pull failed; retrying"))).hasSize(4);
        assertNothingStarted();
    }

    /** IMAGE already in containerd: a registry that is down does not matter, nothing is pulled. */
    @Test
    void aRegistryThatIsDownDoesNotMatterWhenTheImageIsThere(@TempDir Path out) throws Exception {
        String present = "127.0.0.1:9/waitdaemon/present:" + Long.toHexString(System.nanoTime());
        machine.ctr("images", "tag", machine.containerdImage(BUSYBOX), present);
        try {
            Outcome action = run(env("IMAGE", present, "WAIT_SECONDS", "0"), List.of("sh", "-c", "echo ran > /out/done"),
                List.of(out + ":/out"));

            assertThat(action.exitCode()).as(action.output()).isZero();
            assertThat(action.output()).doesNotContain("\"message\":\"pulling image");
            assertThat(Files.readString(awaitFile(out.resolve("done"), Duration.ofSeconds(60))).trim()).isEqualTo("ran");
        } finally {
            machine.ctrRun("images", "rm", present);
        }
    }

    /** A password without a user: invalid configuration (exit 3), the password never echoed, nothing started. */
    @Test
    void aPasswordWithoutAUserIsInvalidConfigurationAndNeverEchoed() throws Exception {
        Outcome action = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0", "REGISTRY_PASSWORD", "s3cr3t-value"), List.of("reboot"), List.of());

        assertThat(action.exitCode()).as(action.output()).isEqualTo(3);
        assertThat(action.output()).contains("REGISTRY_PASSWORD is set without REGISTRY_USERNAME").doesNotContain("s3cr3t-value");
        assertNothingStarted();
    }

    /** A Docker config that leaves the login to a credential helper, which cannot run inside the action: said so. */
    @Test
    void aDockerConfigWhoseOnlySourceIsACredentialHelperIsSaidSo(@TempDir Path folder) throws Exception {
        String reference = TestRegistries.pushToPrivate(BUSYBOX, "captainos-helper");
        Path config = Files.writeString(folder.resolve("config.json"), "{\"auths\":{\"" + TestRegistries.privateRegistry()
            + "\":{}},\"credsStore\":\"desktop\"}");

        Outcome action = run(env("IMAGE", reference, "WAIT_SECONDS", "0"), List.of("reboot"),
            List.of(config + ":/root/.docker/config.json:ro"));

        assertThat(action.exitCode()).as(action.output()).isEqualTo(1);
        assertThat(action.output()).contains("/root/.docker/config.json leaves the credentials for " + TestRegistries.privateRegistry()
            + " to the credential helper docker-credential-desktop, which cannot run inside the action");
        assertNothingStarted();
    }

    /**
     * Neither pid: host nor the socket: containerd is out of reach, and so is every other engine. Each
     * candidate is named with its reason (exit 12), nothing started.
     */
    @Test
    void withNoRuntimeReachableEveryCandidateIsNamedWithItsReason() throws Exception {
        Outcome action = agent.run(new ContainerdAgentEmulator.Action("waitdaemon", image, List.of("reboot"),
            env("IMAGE", BUSYBOX, "WAIT_SECONDS", "0"), List.of(), false));

        assertThat(action.exitCode()).as(action.output()).isEqualTo(12);
        assertThat(action.output()).contains("no container runtime answered (CONTAINER_RUNTIME=auto)")
            .contains(ActionContractIT.EVERY_CANDIDATE);
        assertNothingStarted();
    }

    /**
     * A Docker config mounted into the action: the pull through containerd uses it, and the clone and the
     * target get an empty file over it (their specs never hold the password), the mount beside it intact.
     */
    @Test
    void pullsFromAPrivateRegistryWithADockerConfigMountedIntoTheActionAndKeepsItFromTheCloneAndTarget(
        @TempDir Path folder, @TempDir Path out) throws Exception {
        String reference = TestRegistries.pushToPrivate(TARGET, "captainos-config");
        Path config = TestRegistries.dockerConfig(folder, TestRegistries.privateRegistry(), TestRegistries.user(),
            TestRegistries.password());

        Outcome action = run(env("IMAGE", reference, "WAIT_SECONDS", "0"), List.of("pulled"),
            List.of(config + ":/root/.docker/config.json:ro", out + ":/out"));

        assertThat(action.exitCode()).as(action.output()).isZero();
        assertThat(action.output()).contains("\"message\":\"image pulled\"")
            .contains("the registry credentials file stays with the pull");
        Files.readString(awaitFile(out.resolve("entrypoint"), Duration.ofSeconds(60)));
        assertThat(Files.readString(out.resolve("docker-config")).trim()).as("the target cannot read the credentials file")
            .isEqualTo("masked");
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("pulled");
        try (GrpcContainerdApi api = api()) {
            for (ContainerdModel.Container container : api.containers("labels.\"waitdaemon.action\"==" + action.actionId())) {
                assertThat(container.specJson()).doesNotContain(TestRegistries.password());
            }
        }
    }

    /** The dry run reads the registry's answer but pulls nothing; bad configuration fails it as the action would. */
    @Test
    void aDryRunDoesNotPullAnImageOnlyTheRegistryHasAndFailsOnBadConfigurationAsTheActionWould() throws Exception {
        String reference = TestRegistries.pushToOpen(BUSYBOX, "captainos-dry-run");

        Outcome action = run(env("IMAGE", reference, "WAIT_SECONDS", "0", "WAITDAEMON_DRY_RUN", "yes"), List.of("reboot"), List.of());

        assertThat(action.exitCode()).as(action.output()).isZero();
        assertThat(action.output()).contains("not here; it would be pulled from " + TestRegistries.open() + " with credentials none");
        assertThat(machine.ctr("images", "list", "--quiet").lines()).as("nothing pulled").noneMatch(name -> name.contains("captainos-dry-run"));
        assertNothingStarted();

        Outcome bad = run(env("IMAGE", BUSYBOX, "WAIT_SECONDS", "soon", "WAITDAEMON_DRY_RUN", "true"), List.of("reboot"), List.of());
        assertThat(bad.exitCode()).as(bad.output()).isEqualTo(3);
        assertThat(bad.output()).contains("WAIT_SECONDS='soon' is not a whole number of seconds").doesNotContain("waitdaemon dry run");
    }

    /** A registry that wants a login and got none: one line naming both ways to give it, at once, nothing started. */
    @Test
    void aPrivateRegistryWithoutCredentialsFailsNamingItAndBothWaysToGiveThem() throws Exception {
        String reference = TestRegistries.pushToPrivate(BUSYBOX, "captainos-no-login");

        Outcome action = run(env("IMAGE", reference, "WAIT_SECONDS", "0"), List.of("reboot"), List.of());

        assertThat(action.exitCode()).as(action.output()).isEqualTo(1);
        assertThat(action.output()).contains(TestRegistries.privateRegistry() + " wants credentials and none were given",
            "REGISTRY_USERNAME and REGISTRY_PASSWORD", "/root/.docker/config.json").doesNotContain("pull failed; retrying");
        assertNothingStarted();
    }

    /** Credentials the registry refuses: one line at once, and the password nowhere. */
    @Test
    void refusedCredentialsFailAtOnceAndAreNeverShown() throws Exception {
        String reference = TestRegistries.pushToPrivate(BUSYBOX, "captainos-refused");
        String wrong = "wrong-" + Long.toHexString(System.nanoTime());

        Outcome action = run(env("IMAGE", reference, "WAIT_SECONDS", "0", "REGISTRY_USERNAME", TestRegistries.user(),
            "REGISTRY_PASSWORD", wrong), List.of("reboot"), List.of());

        assertThat(action.exitCode()).as(action.output()).isEqualTo(1);
        assertThat(action.output()).contains(TestRegistries.privateRegistry() + " refused the credentials from REGISTRY_USERNAME/REGISTRY_PASSWORD")
            .doesNotContain(wrong).doesNotContain("pull failed; retrying");
        assertNothingStarted();
    }

    private void assertNothingStarted() throws Exception {
        try (GrpcContainerdApi api = api()) {
            assertThat(api.containers("labels.\"waitdaemon.phase\"")).isEmpty();
        }
    }

    /** The file once it exists: the target writes it. */
    private Path awaitFile(Path file, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!Files.exists(file)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(file + " did not appear within " + limit + "; the clones' and targets' output:\n"
                    + machine.machineFolderTail(OUTPUT_FOLDER));
            }
            Thread.sleep(50);
        }
        return file;
    }


}
