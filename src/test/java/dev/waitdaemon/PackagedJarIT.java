package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.EngineCli.Result;
import dev.waitdaemon.support.HostCommand;

/**
 * The developer's loop: the packaged application run on this machine, outside any container, against
 * the local dockerd, as {@code quarkus dev} runs it.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String TARGET = ActionContractIT.TARGET;

    /** {@code java -jar} with exactly this environment (and PATH), so that nothing of the test's leaks in. */
    static Result waitdaemon(Map<String, String> env, String... args) {
        assertThat(JAR).as("the packaged application (mvn package runs before the engine tests)").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME"));
        builder.environment().putAll(env);
        return HostCommand.run(Duration.ofSeconds(60), builder);
    }

    @Test
    void aDryRunOutsideAnyContainerPlansFromTheProcessAndCreatesNothing() {
        List<String> before = EngineCli.DOCKER.labelled("waitdaemon.phase");

        Result run = waitdaemon(Map.of("IMAGE", TARGET, "WAITDAEMON_DRY_RUN", "true", "CONTAINER_RUNTIME", "docker",
            "WAIT_SECONDS", "3", "SECRET_TOKEN", "value-never-shown"), "reboot", "-f");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("waitdaemon dry run: nothing was pulled or created", "runtime: docker-api",
            "present (", "action: not inside a container: planned from this process's environment and arguments",
            "command: [\"reboot\" \"-f\"]", "SECRET_TOKEN", "modes: pid=(engine default) network=(engine default)",
            "privileged: no", "target (started 3 s after the action has exited):")
            .doesNotContain("value-never-shown");
        assertThat(EngineCli.DOCKER.labelled("waitdaemon.phase")).as("nothing created").isEqualTo(before);
    }

    /** SmallRye Config would expand these: p${secret}q to pq, and a trailing ${ would fail its start-up. */
    @Test
    void valuesWithDollarsReachWaitdaemonAsTheyWereGiven() {
        Result run = waitdaemon(Map.of("IMAGE", TARGET, "WAITDAEMON_DRY_RUN", "true", "CONTAINER_RUNTIME", "docker",
            "REGISTRY_USERNAME", "u", "REGISTRY_PASSWORD", "p${secret}q$${x}${"), "reboot");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out() + run.err()).doesNotContain("p${secret}q");
    }

    @Test
    void aDryRunWithBadConfigurationFailsAsTheActionWould() {
        Result run = waitdaemon(Map.of("IMAGE", "-rf", "WAITDAEMON_DRY_RUN", "true"), "reboot");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("waitdaemon: invalid configuration: IMAGE='-rf'");
    }

    @Test
    void statusWorksFromTheHostInBothFormats() throws Exception {
        Result json = waitdaemon(Map.of("CONTAINER_RUNTIME", "docker"), "status", "--output", "json");
        Result table = waitdaemon(Map.of("CONTAINER_RUNTIME", "docker"), "status");

        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(new ObjectMapper().readTree(json.out()).isArray()).as(json.out()).isTrue();
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).satisfiesAnyOf(out -> assertThat(out).startsWith("ACTION"),
            out -> assertThat(out).startsWith("no waitdaemon runs on this engine"));
    }

    @Test
    void statusWithNoRuntimeAnsweringExitsTwelveNamingWhatWasTried() {
        Result status = waitdaemon(Map.of("CONTAINER_RUNTIME", "docker", "DOCKER_HOST", "unix:///nonexistent/docker.sock"),
            "status");

        assertThat(status.exitCode()).isEqualTo(12);
        assertThat(status.err()).contains("waitdaemon: CONTAINER_RUNTIME=docker cannot be used", "docker-api:");
        assertThat(status.out()).isEmpty();
    }
}
