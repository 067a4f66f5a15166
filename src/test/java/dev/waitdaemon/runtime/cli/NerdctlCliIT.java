package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.waitdaemon.support.Processes;

/**
 * nerdctl cannot be installed here, so the packaged application runs against recording stand-ins for
 * nsenter and nerdctl placed first on PATH: every argument vector they receive is kept and checked,
 * and the stand-in nerdctl answers with nerdctl's dockercompat inspect output.
 */
class NerdctlCliIT {

    /** The action tink-agent's way made on the CaptainOS-like machine (fixtures/nerdctl-2.2.1, run-a). */
    private static final String ACTION_ID = "38073071932c28fbf5aa7df47b95afd656d4d5e4e557242d1a902530bff427aa";
    private static final String NEW_ID = "c".repeat(64);

    @TempDir
    Path bin;

    private Path calls;

    /** nsenter records its arguments and runs what follows "--", as the real one would inside the host. */
    private static final String NSENTER = """
        #!/bin/sh
        dir=$(dirname "$0")
        printf '%s\\n' "$@" > "$dir/calls/$(date +%s%N)-nsenter"
        while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done
        shift
        exec "$@"
        """;

    /**
     * nerdctl records its arguments and answers from files beside it. What it prints of its own is nerdctl
     * 2.2.1's real output (fixtures/nerdctl-2.2.1): version's streams and an image inspect as captured,
     * create's and start's id line (nerdctl-create, nerdctl-start), and a missing image or
     * container as its one logrus line, {@code 1 errors:} and a backslash-n inside the quoted message
     * (absent-image-inspect, absent-container-inspect-full), with the argument given.
     */
    private static final String NERDCTL = """
        #!/bin/sh
        dir=$(dirname "$0")
        printf '%s\\n' "$@" > "$dir/calls/$(date +%s%N)-nerdctl"
        [ "$1" = "--namespace" ] || { echo "no namespace given" >&2; exit 9; }
        fatal() {
          printf 'time="%s" level=fatal msg="1 errors:\\\\nno such %s"\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${1#no such }" >&2
          exit 1
        }
        shift 2
        case "$1" in
          version) cat "$dir/captures/version/stdout"; cat "$dir/captures/version/stderr" >&2 ;;
          image)
            if [ -f "$dir/pulled" ]; then cat "$dir/captures/image-inspect/stdout"
            else fatal "no such image: $4"; fi ;;
          pull) touch "$dir/pulled" ;;
          container)
            if [ "$4" = "@ACTION_ID@" ]; then cat "$dir/self.json"
            elif [ "$4" = "@NEW_ID@" ] && [ -f "$dir/clone.json" ]; then cat "$dir/clone.json"
            else fatal "no such container: $4"; fi ;;
          ps) case " $* " in *" --all "*) ;; *) echo "@ACTION_ID@" ;; esac
              if [ -f "$dir/clone.json" ]; then echo "@NEW_ID@"; fi ;;
          create)
            while [ "$#" -gt 0 ] && [ "$1" != "--env-file" ]; do shift; done
            [ "$#" -gt 0 ] && cp "$2" "$dir/calls/$(date +%s%N)-envfile"
            echo "@NEW_ID@" ;;
          start) echo "$3" ;;
          *) echo "unexpected: $*" >&2; exit 8 ;;
        esac
        """.replace("@ACTION_ID@", ACTION_ID).replace("@NEW_ID@", NEW_ID);

    @BeforeEach
    void standIns() throws IOException {
        calls = Files.createDirectories(bin.resolve("calls"));
        script("nsenter", NSENTER);
        script("nerdctl", NERDCTL);
        // nerdctl 2.2.1's own answers where the stand-in gives them as they are: version's streams, and the
        // image inspect of a busybox image (Entrypoint null, Env PATH=/bin).
        for (String capture : List.of("version", "image-inspect")) {
            Path folder = Files.createDirectories(bin.resolve("captures").resolve(capture));
            for (String stream : List.of("stdout", "stderr")) {
                Files.copy(NerdctlCapture.root().resolve(capture).resolve(stream), folder.resolve(stream));
            }
        }
        // nerdctl 2.2.1's inspect of that action, as it printed it. Found by its hostname, the action is taken
        // for this process's own only if its init process is this process or an ancestor: its Pid becomes
        // that of the test's JVM, which starts waitdaemon's.
        Files.writeString(bin.resolve("self.json"), NerdctlCapture.of("action-running-inspect").stdout()
            .replace("\"Pid\": 171,", "\"Pid\": " + pid() + ","));
    }

    private void script(String name, String text) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void firstForkCallsNerdctlInTheHostsNamespacesWithItsNamespaceAndEndsOptionsBeforeTheImage() throws Exception {
        int exit = runWaitdaemon(Map.of("IMAGE", "quay.io/tinkerbell/actions/reboot:v1", "GREETING", "hello world"),
            "reboot", "-f", "--", "a b");

        assertThat(exit).as(output()).isZero();
        List<List<String>> nsenter = recorded("nsenter");
        assertThat(nsenter).isNotEmpty().allSatisfy(call ->
            assertThat(call).startsWith("-t", pid(), "-m", "-u", "-i", "-n", "-p", "-C", "--", "nerdctl", "--namespace", "k8s.io"));
        List<List<String>> nerdctl = recorded("nerdctl");
        List<String> subcommands = nerdctl.stream().map(call -> String.join(" ", call.subList(2, Math.min(call.size(), 4))))
            .toList();
        assertThat(subcommands).containsSubsequence("version", "image inspect", "pull --quiet", "image inspect",
            "create --privileged", "start --");
        assertThat(subcommands).as("its own container, looked up beside the image check, before the clone is made")
            .containsSubsequence("container inspect", "create --privileged")
            .as("exited clones of earlier runs are the clone's to tidy").doesNotContain("ps --all");
        assertThat(nerdctl).contains(List.of("--namespace", "k8s.io", "pull", "--quiet", "--", "quay.io/tinkerbell/actions/reboot:v1"));
        assertThat(nerdctl).contains(List.of("--namespace", "k8s.io", "container", "inspect", "--", ACTION_ID));

        List<String> create = nerdctl.stream().filter(call -> call.get(2).equals("create")).findFirst().orElseThrow();
        // nerdctl reports no pid mode: outside any container, this process's is the host's (its network is
        // given only where PID 1's namespaces can be read, which this machine refuses)
        assertThat(create).containsSubsequence("--pid", "host")
            .containsSubsequence("--volume", "/tmp/out:/out")
            .contains("--env-file")
            .noneMatch(arg -> arg.startsWith("WAIT_SECONDS="))
            .containsSubsequence("--label", "waitdaemon.action=" + ACTION_ID)
            .doesNotContain("--entrypoint")
            .as("the tink-dns copies and the machine's files are the engine's").noneMatch(arg -> arg.contains("/etc/"));
        assertThat(create.subList(create.indexOf("--"), create.size()))
            .as("the clone: the action's image, then the action's command verbatim (nerdctl reports none)")
            .containsExactly("--", "docker.io/bars/busybox:test", "reboot", "-f", "--", "a b");
        assertThat(nerdctl).contains(List.of("--namespace", "k8s.io", "start", "--", NEW_ID));
        assertThat(recorded("envfile")).as("the environment nerdctl reports, in a file rather than arguments").singleElement()
            .satisfies(env -> assertThat(env).contains("IMAGE=bars/busybox:test", "WAIT_SECONDS=1", "WAITDAEMON_PHASE=clone")
                .noneMatch(line -> line.startsWith("HOSTNAME=")));
    }

    /**
     * On CaptainOS with host networking the hostname is the host's, and nerdctl's inspect also matches
     * names and id prefixes: a container it names whose init process is not this process's is not cloned.
     */
    @Test
    void aContainerTheHostnameNamesButThatDoesNotRunThisProcessIsNeverCloned() throws Exception {
        Files.writeString(bin.resolve("self.json"), Files.readString(bin.resolve("self.json"))
            .replace("\"Pid\": " + pid() + ",", "\"Pid\": 4242,"));

        int exit = runWaitdaemon(Map.of("IMAGE", "quay.io/tinkerbell/actions/reboot:v1"), "reboot");

        assertThat(exit).as(output()).isEqualTo(1);
        assertThat(output()).contains("cannot find the action's own container");
        assertThat(recorded("nerdctl")).noneMatch(call -> call.get(2).equals("create"));
    }

    @Test
    void theCloneStartsTheTargetWithItsOwnEntrypointAndTheCommandVerbatim() throws Exception {
        Files.createFile(bin.resolve("pulled"));
        // The clone's own container, as nerdctl 2.2.1 printed the action's, with a clone's labels beside nerdctl's.
        Files.writeString(bin.resolve("self.json"), Files.readString(bin.resolve("self.json"))
            .replace("\"nerdctl/namespace\": \"tinkerbell\"", "\"nerdctl/namespace\": \"tinkerbell\",\n"
                + "                \"waitdaemon.phase\": \"clone\",\n"
                + "                \"waitdaemon.action\": \"1111111111111111111111111111111111111111111111111111111111111111\""));

        int exit = runWaitdaemon(Map.of("IMAGE", "quay.io/tinkerbell/actions/reboot:v1", "WAITDAEMON_PHASE", "clone",
            "GREETING", "hello world"), "--help", "-c");

        assertThat(exit).as(output()).isZero();
        List<String> create = recorded("nerdctl").stream().filter(call -> call.get(2).equals("create")).findFirst().orElseThrow();
        assertThat(create.subList(create.indexOf("--"), create.size()))
            .containsExactly("--", "quay.io/tinkerbell/actions/reboot:v1", "--help", "-c");
        assertThat(create).containsSubsequence("--label", "waitdaemon.phase=target")
            .contains("--env-file")
            .doesNotContain("--entrypoint");
        assertThat(recorded("envfile")).singleElement().satisfies(env -> assertThat(env).contains("WAIT_SECONDS=1")
            .noneMatch(line -> line.startsWith("PATH=") || line.startsWith("WAITDAEMON_PHASE=") || line.startsWith("HOSTNAME=")));
        assertThat(recorded("nerdctl")).as("it waited for the action to be gone")
            .contains(List.of("--namespace", "k8s.io", "container", "inspect", "--",
                "1111111111111111111111111111111111111111111111111111111111111111"));
        assertThat(recorded("nerdctl")).as("it looked for exited clones of earlier runs, before creating the target")
            .extracting(call -> call.get(2)).containsSubsequence("ps", "create");
    }

    /**
     * A clone stopped during its wait (exit 4), as nerdctl 2.2.1 prints an exited container (short-c),
     * under this test's id and with a clone's labels beside nerdctl's.
     */
    private static String stoppedClone() {
        return NerdctlCapture.of("action-short-exited-inspect").stdout()
            .replace("89cc97c81e403d28115c7e0e4d432294a837ead98025f60b7f5829a1ed962c92", NEW_ID)
            .replace("\"ExitCode\": 3,", "\"ExitCode\": 4,")
            .replace("\"nerdctl/namespace\": \"tinkerbell\"", "\"nerdctl/namespace\": \"tinkerbell\",\n"
                + "                \"waitdaemon.phase\": \"clone\",\n"
                + "                \"waitdaemon.action\": \"" + ACTION_ID + "\",\n"
                + "                \"waitdaemon.image\": \"quay.io/tinkerbell/actions/reboot:v1\"");
    }

    @Test
    void statusReadsTheRunsFromNerdctlInTheHostsNamespacesWithItsNamespace() throws Exception {
        Files.writeString(bin.resolve("clone.json"), stoppedClone());

        int exit = runWaitdaemon(Map.of("WAIT_SECONDS", ""), "status", "--output", "json");

        assertThat(exit).as(output()).isZero();
        assertThat(output()).contains("\"actionId\" : \"" + ACTION_ID + "\"",
            "\"targetState\" : \"not started: the clone was stopped during its wait\"",
            "\"image\" : \"quay.io/tinkerbell/actions/reboot:v1\"", "\"exitCode\" : 4");
        assertThat(recorded("nerdctl")).contains(
            List.of("--namespace", "k8s.io", "ps", "--all", "--quiet", "--no-trunc", "--filter", "label=waitdaemon.phase"),
            List.of("--namespace", "k8s.io", "container", "inspect", "--", NEW_ID));
        assertThat(recorded("nsenter")).isNotEmpty().allSatisfy(call -> assertThat(call).startsWith("-t", pid()));
    }

    @Test
    void volumeModeRunsNerdctlInsideTheContainerWithoutNsenterAndHonoursTheOlderNames() throws Exception {
        int exit = runWaitdaemon(Map.of("IMAGE", "quay.io/tinkerbell/actions/reboot:v1", "NERDCTL_HOST", "",
            "NSENTER_HOST", "false", "NERDCTL_NAMESPACE", "", "CONTAINERD_NAMESPACE", "tinkerbell"), "reboot");

        assertThat(exit).as(output()).isZero();
        assertThat(recorded("nsenter")).isEmpty();
        assertThat(recorded("nerdctl")).isNotEmpty()
            .allSatisfy(call -> assertThat(call).startsWith("--namespace", "tinkerbell"));
    }

    /** A nerdctl whose containerd hangs: every call sleeps, after saying which process it is. */
    private static final String HANGING_NERDCTL = """
        #!/bin/sh
        echo $$ > "$(dirname "$0")/calls/$$-hung"
        exec sleep 600
        """;

    /**
     * Through the real nsenter (util-linux), into this test's own namespaces: with -p it forks, and the
     * CLI runs as its child, which killing nsenter alone would leave behind.
     */
    @Test
    void aHungCliReachedThroughNsenterEndsAtItsTimeoutWithEveryProcessItStarted() throws Exception {
        Files.delete(bin.resolve("nsenter"));
        script("nerdctl", HANGING_NERDCTL);
        long started = System.nanoTime();

        int exit = runWaitdaemon(Map.of("IMAGE", "quay.io/tinkerbell/actions/reboot:v1"), "reboot");

        assertThat(exit).as(output()).isEqualTo(12);
        assertThat(output()).contains("nerdctl-cli:", "did not finish within 10 s and was ended with every process it started");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(40));
        List<List<String>> hung = recorded("hung");
        assertThat(hung).isNotEmpty().allSatisfy(pid ->
            assertThat(Processes.running(Long.parseLong(pid.get(0)))).as("the CLI process " + pid.get(0)).isFalse());
    }

    @Test
    void anImageThatLooksLikeAFlagNeverReachesNerdctl() throws Exception {
        int exit = runWaitdaemon(Map.of("IMAGE", "--privileged"), "reboot");

        assertThat(exit).isEqualTo(3);
        assertThat(recorded("nerdctl")).isEmpty();
        assertThat(recorded("nsenter")).isEmpty();
    }

    private String output;

    private String output() {
        return output;
    }

    private int runWaitdaemon(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.equals("DOCKER_HOST") || name.startsWith("NERDCTL") || name.equals("IMAGE"));
        environment.put("PATH", bin + ":" + System.getenv("PATH"));
        environment.put("CONTAINER_RUNTIME", "nerdctl");
        environment.put("NERDCTL_NAMESPACE", "k8s.io");
        environment.put("NERDCTL_HOST_PID", pid());
        environment.put("HOSTNAME", ACTION_ID);
        environment.put("WAIT_SECONDS", "0");
        // an empty value removes a variable the defaults above set
        env.forEach((name, value) -> {
            if (value.isEmpty()) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        output = new String(out, StandardCharsets.UTF_8);
        return process.exitValue();
    }

    private static String pid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    private List<List<String>> recorded(String program) throws IOException {
        try (Stream<Path> files = Files.list(calls)) {
            List<Path> sorted = files.filter(file -> file.getFileName().toString().endsWith("-" + program)).sorted().toList();
            List<List<String>> result = new ArrayList<>();
            for (Path file : sorted) {
                result.add(Files.readAllLines(file));
            }
            return result;
        }
    }
}
