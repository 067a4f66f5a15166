package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.registry.RegistryHost;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.HostSettings;

/** The CLI runtime's calls and its reading of answers, with a scripted runner in place of the CLI. */
class CliRuntimeTest {

    private final List<List<String>> calls = new ArrayList<>();

    private CliRuntime runtime(Function<List<String>, CommandRunner.Result> answers) {
        return runtime(CliDialect.DOCKER, answers);
    }

    private CliRuntime runtime(CliDialect dialect, Function<List<String>, CommandRunner.Result> answers) {
        Settings settings = SettingsFixture.settings().runtime(RuntimeChoice.DOCKER).hostMode(false, 1).build();
        CommandRunner runner = (argv, timeout) -> {
            calls.add(argv);
            return answers.apply(argv);
        };
        return new CliRuntime(CliInvocation.of(dialect, settings), runner, new ObjectMapper());
    }

    private static CommandRunner.Result ok(String stdout) {
        return new CommandRunner.Result(0, stdout, "");
    }

    private static CommandRunner.Result failed(String stderr) {
        return new CommandRunner.Result(1, "", stderr);
    }

    @Test
    void aMissingImageIsEmptyAndAnotherFailureIsAnError() {
        assertThat(runtime(argv -> failed("Error: No such image: x:1")).inspectImage("x:1")).isEmpty();
        assertThatThrownBy(() -> runtime(argv -> failed("permission denied while trying to connect")).inspectImage("x:1"))
            .isInstanceOf(EngineException.class)
            .hasMessage("permission denied while trying to connect (docker image (3 more arguments))");
    }

    /** Each CLI's own words, as each prints them (docker 20.10 and 28, podman 4.3 and 5, nerdctl 2). */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "DOCKER | Error: No such container: abc",
        "DOCKER | Error response from daemon: No such container: abc",
        "DOCKER | Error response from daemon: no such image: x:1: No such image: x:1",
        "PODMAN | Error: inspecting object: no such container abc",
        "PODMAN | Error: inspecting object: x:1: image not known",
        // nerdctl 2.2.1's own lines (fixtures/nerdctl-2.2.1: absent-container-inspect-short, absent-image-inspect)
        "NERDCTL | time=\"2026-12-06T21:26:17Z\" level=fatal msg=\"1 errors:\\nno such container: abc\"",
        "NERDCTL | time=\"2026-12-06T21:26:23Z\" level=fatal msg=\"1 errors:\\nno such image: x:1\"" })
    void eachCliSaysAnObjectIsMissingInItsOwnWords(CliDialect dialect, String stderr) {
        assertThat(runtime(dialect, argv -> failed(stderr)).isRunning("abc")).isFalse();
        assertThat(runtime(dialect, argv -> failed(stderr)).inspectImage("x:1")).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "DOCKER | Error response from daemon: network tink not found",
        "PODMAN | Error: volume data does not exist",
        "NERDCTL | time=\"2026-12-06T21:26:23Z\" level=fatal msg=\"1 errors:\\nsnapshotter not found\"" })
    void anyOtherNotFoundIsAFailureToReport(CliDialect dialect, String stderr) {
        assertThatThrownBy(() -> runtime(dialect, argv -> failed(stderr)).isRunning("abc"))
            .isInstanceOf(EngineException.class).isNotInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void theWordsOfAMissingObjectOnASuccessfulCallAreNotTakenForOne() {
        assertThat(runtime(argv -> new CommandRunner.Result(0, "[{\"Id\":\"sha256:1\",\"Config\":{}}]",
            "warning: no such container: other")).inspectImage("x:1")).isPresent();
    }

    @Test
    void anInspectThatPrintsAnEmptyListFoundNothing() {
        assertThat(runtime(CliDialect.NERDCTL, argv -> ok("[]\n")).inspectImage("x:1")).isEmpty();
        assertThatThrownBy(() -> runtime(CliDialect.NERDCTL, argv -> ok("[]")).inspectContainer("abc"))
            .isInstanceOf(EngineException.NotFound.class);
    }

    /** podman alone can run the OCI runtime's create before the start (podman init); the others start in one. */
    @Test
    void onlyPodmanPreparesTheStartOfACreatedContainer() {
        runtime(CliDialect.PODMAN, argv -> ok("")).prepareStart("abc");
        runtime(CliDialect.DOCKER, argv -> ok("")).prepareStart("abc");
        runtime(CliDialect.NERDCTL, argv -> ok("")).prepareStart("abc");

        assertThat(calls).containsExactly(List.of("podman", "init", "--", "abc"));
    }

    @Test
    void theExitTimeOfAnExitedContainerIsItsFinishedAt() {
        var exited = runtime(argv -> ok("[{\"State\":{\"Running\":false,\"FinishedAt\":\"2026-11-25T16:26:10.3Z\"}}]"))
            .exitedAt("abc");

        assertThat(exited).contains(java.time.Instant.parse("2026-11-25T16:26:10.3Z"));
        assertThat(calls).containsExactly(List.of("docker", "container", "inspect", "--", "abc"));
    }

    @Test
    void theExitTimeOfARemovedContainerComesFromItsDieEvent() {
        var exited = runtime(argv -> argv.get(1).equals("container") ? failed("Error: No such container: abc")
            : ok("{\"status\":\"die\",\"id\":\"abc\",\"timeNano\":1795623968894510305}\n")).exitedAt("abc");

        assertThat(exited).contains(java.time.Instant.ofEpochSecond(1795623968, 894510305));
        assertThat(calls.get(1)).startsWith("docker", "events", "--since").contains("--filter", "container=abc",
            "event=die", "--format", "{{json .}}");
    }

    @Test
    void pullsWithOptionsEndedBeforeTheReference() {
        runtime(argv -> ok("")).pull(ImageReference.parse("quay.io/tinkerbell/actions/reboot"), Optional.empty());

        assertThat(calls).containsExactly(List.of("docker", "pull", "--quiet", "--", "quay.io/tinkerbell/actions/reboot:latest"));
    }

    @Test
    void aFailedPullSaysWhatTheCliSaid() {
        assertThatThrownBy(() -> runtime(argv -> failed("warning\nError: manifest unknown")).pull(ImageReference.parse("x:1"), Optional.empty()))
            .hasMessage("Error: manifest unknown (docker pull (3 more arguments))");
    }

    @Test
    void credentialsReachEachCliInAFileOfItsOwnNeverInAnArgumentAndTheFileIsGoneAfterwards() throws Exception {
        ImageReference image = ImageReference.parse("127.0.0.1:5056/private/x:1");
        RegistryCredentials credentials = RegistryCredentials.password(RegistryHost.of(image), "tink", "s3cr3t", "test");
        List<String> filesSeen = new ArrayList<>();
        for (CliDialect dialect : CliDialect.values()) {
            calls.clear();
            CliRuntime cli = runtime(dialect, argv -> {
                String file = argv.stream().filter(arg -> arg.matches(".*/waitdaemon-[^/]*(/config.json)?")).findFirst()
                    .orElseThrow();
                Path config = Path.of(file.replaceFirst("^DOCKER_CONFIG=", ""));
                config = Files.isDirectory(config) ? config.resolve("config.json") : config;
                try {
                    assertThat(Files.readString(config)).contains(java.util.Base64.getEncoder()
                        .encodeToString("tink:s3cr3t".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                        .isEqualTo("rw-------");
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                filesSeen.add(config.toString());
                return ok("");
            });

            cli.pull(image, Optional.of(credentials));

            assertThat(calls).singleElement().satisfies(argv -> {
                assertThat(argv).noneMatch(arg -> arg.contains("s3cr3t"));
                switch (dialect) {
                    case DOCKER -> assertThat(argv).startsWith("docker", "--config");
                    case PODMAN -> assertThat(argv).contains("--authfile");
                    case NERDCTL -> assertThat(argv.get(0)).isEqualTo("env");
                }
                assertThat(argv).endsWith("--", "127.0.0.1:5056/private/x:1");
            });
        }
        assertThat(filesSeen).hasSize(3).allSatisfy(file -> assertThat(Path.of(file)).doesNotExist());
    }

    @Test
    void createsThenStartsAndRemovesAContainerThatWouldNotStart() {
        CliRuntime runtime = runtime(argv -> argv.get(1).equals("start") ? failed("Error: OCI runtime create failed") : ok("cid\n"));
        ContainerSpec spec = new ContainerSpec("img", null, List.of("x"), List.of(), java.util.Map.of(), false,
            new HostSettings(false, null, null, null, null, null, null, null, null, null, null));

        assertThatThrownBy(() -> runtime.createAndStart(spec)).hasMessageStartingWith("Error: OCI runtime create failed");
        assertThat(calls).extracting(call -> call.get(1)).containsExactly("create", "start", "rm");
        assertThat(calls.get(2)).containsExactly("docker", "rm", "--force", "--", "cid");
    }

    @Test
    void leavesOutAnEntrypointThatIsTheImagesOwn() {
        CliRuntime runtime = runtime(argv -> argv.get(1).equals("image")
            ? ok("[{\"Id\":\"sha256:1\",\"Config\":{\"Entrypoint\":[\"java\",\"-jar\",\"quarkus-run.jar\"]}}]") : ok("cid"));
        ContainerSpec clone = new ContainerSpec("sha256:1", List.of("java", "-jar", "quarkus-run.jar"), List.of("reboot"),
            List.of(), java.util.Map.of(), false, new HostSettings(false, null, null, null, null, null, null, null, null, null, null));

        assertThat(runtime.createAndStart(clone)).isEqualTo("cid");
        assertThat(calls.get(1)).doesNotContain("--entrypoint").endsWith("--", "sha256:1", "reboot");
    }

    @Test
    void listsLabelledContainersNewestFirst() {
        CliRuntime runtime = runtime(argv -> argv.get(1).equals("ps") ? ok("a\nb\n") : ok("""
            [{"Id":"a","Created":"2026-11-25T10:00:00Z","State":{"Running":false}},
             {"Id":"b","Created":"2026-11-25T11:00:00Z","State":{"Running":true}}]"""));

        assertThat(runtime.listByLabel("waitdaemon.phase", "clone")).extracting(summary -> summary.id()).containsExactly("b", "a");
        assertThat(calls.get(0)).containsExactly("docker", "ps", "--all", "--quiet", "--no-trunc", "--filter",
            "label=waitdaemon.phase=clone");
        assertThat(calls.get(1)).containsExactly("docker", "container", "inspect", "--", "a", "b");
    }

    @Test
    void aGoneContainerIsNotRunning() {
        assertThat(runtime(argv -> failed("Error: No such container: x")).isRunning("x")).isFalse();
    }

    @Test
    void aFailedCreateWhoseCommandCarriesATokenNeverQuotesIt() {
        ContainerSpec spec = new ContainerSpec("img:1", null, List.of("curl", "-H", "Authorization: Bearer tok3n"),
            List.of("API_TOKEN=s3cret"), java.util.Map.of(), false,
            new HostSettings(false, null, null, null, null, null, null, null, null, null, null));
        CliRuntime cli = runtime(argv -> argv.get(1).equals("create") ? failed("Error: invalid mount config") : ok("[]"));

        assertThatThrownBy(() -> cli.createAndStart(spec)).isInstanceOf(EngineException.class)
            .hasMessageStartingWith("Error: invalid mount config (docker create (")
            .hasMessageNotContaining("tok3n").hasMessageNotContaining("s3cret");
        assertThat(calls).filteredOn(argv -> argv.get(1).equals("create")).singleElement()
            .satisfies(argv -> assertThat(argv).noneMatch(arg -> arg.contains("s3cret")));
    }

    @Test
    void aCliThatCannotStartIsAnEngineFailureNamingTheCommand() {
        CliRuntime runtime = runtime(argv -> {
            throw new CommandRunner.CommandFailedException("cannot run docker: No such file or directory", null);
        });

        assertThatThrownBy(() -> runtime.remove("x")).isInstanceOf(EngineException.class)
            .hasMessage("docker rm (3 more arguments): cannot run docker: No such file or directory");
    }
}
