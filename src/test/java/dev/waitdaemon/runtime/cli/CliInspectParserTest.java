package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerInfo.Unreported;
import dev.waitdaemon.runtime.docker.DockerFixtures;

class CliInspectParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = CliInspectParserTest.class.getResourceAsStream("/fixtures/" + name)) {
            return JSON.readTree(in);
        }
    }

    @Nested
    class Nerdctl {

        private final ContainerInfo action = CliInspectParser.container(CliInspectParser.first(fixture("nerdctl-inspect-action.json")));

        Nerdctl() throws IOException {
        }

        @Test
        void readsTheArrayItPrints() {
            assertThat(action.id()).startsWith("5f0c5a3a1e9b");
            assertThat(action.imageId()).isEqualTo("docker.io/example/waitdaemon:0.1.0");
            assertThat(action.labels()).containsEntry("nerdctl/namespace", "tinkerbell");
        }

        @Test
        void turnsMountsIntoBindsWithoutItsOwnFilesKeepingReadOnlyAndPropagation() {
            assertThat(action.host().binds()).containsExactly(
                "/run/containerd/containerd.sock:/run/containerd/containerd.sock",
                "/lib/modules:/lib/modules:ro,rslave");
        }

        @Test
        void marksWhatDockercompatLeavesOut() {
            assertThat(action.unreported()).containsExactlyInAnyOrder(Unreported.ENV, Unreported.COMMAND,
                Unreported.PRIVILEGED, Unreported.PID_MODE, Unreported.NETWORK_MODE);
            assertThat(action.entrypoint()).isNull();
        }

        @Test
        void anEmptyCmdBesideProcessArgsCountsAsUnreported() throws IOException {
            JsonNode container = JSON.readTree("""
                {"Id":"x","Path":"java","Args":["-jar","quarkus-run.jar","reboot"],"Config":{"Cmd":[],"Env":["A=1"]},
                 "HostConfig":{"Privileged":true,"PidMode":"host","NetworkMode":"host"}}""");

            assertThat(CliInspectParser.container(container).unreported()).containsExactly(Unreported.COMMAND);
        }

        @Test
        void keepsWhatItDoesReport() {
            assertThat(action.host().utsMode()).isEqualTo("host");
            assertThat(action.host().devices()).singleElement().satisfies(device -> {
                assertThat(device.pathOnHost()).isEqualTo("/dev/kmsg");
                assertThat(device.cgroupPermissions()).isEqualTo("rwm");
            });
        }

        @Test
        void summarisesForTheCleanUp() throws IOException {
            var summary = CliInspectParser.summary(CliInspectParser.first(fixture("nerdctl-inspect-action.json")));

            assertThat(summary.running()).isTrue();
            assertThat(summary.created()).isEqualTo(Instant.parse("2026-11-20T10:15:30.123456789Z"));
        }

        @Test
        void reportsTheStateWithTheInitPidAndTheImageByName() throws IOException {
            var status = CliInspectParser.status(CliInspectParser.first(fixture("nerdctl-inspect-action.json")));

            assertThat(status.running()).isTrue();
            assertThat(status.initPid()).isEqualTo(4242);
            assertThat(status.image()).as("nerdctl's Image is the name").isEqualTo("docker.io/example/waitdaemon:0.1.0");
            assertThat(status.exitCode()).as("no exit code while it runs").isEmpty();
            assertThat(status.startedAt()).contains(Instant.parse("2026-11-20T10:15:30.5Z"));
            assertThat(status.finishedAt()).isEmpty();
        }
    }

    @Nested
    class DockerAndPodman {

        @Test
        void aContainerThatNeverRanHasNoExitCodeNorTimesButItsConfiguredImageName() throws IOException {
            var docker = CliInspectParser.status(CliInspectParser.first(fixture(DockerFixtures.DOCKER_ACTION)));
            var podman = CliInspectParser.status(CliInspectParser.first(fixture(DockerFixtures.PODMAN_ACTION)));

            assertThat(docker.state()).isEqualTo("created");
            assertThat(docker.image()).isEqualTo("local/busybox:test");
            assertThat(podman.image()).isEqualTo("localhost/local/busybox:test");
            assertThat(List.of(docker, podman)).allSatisfy(status -> {
                assertThat(status.initPid()).isZero();
                assertThat(status.exitCode()).isEmpty();
                assertThat(status.startedAt()).isEmpty();
                assertThat(status.created()).isPresent();
            });
        }

        @Test
        void dockersCliPrintsWhatItsApiReturns() throws IOException {
            ContainerInfo action = CliInspectParser.container(CliInspectParser.first(fixture(DockerFixtures.DOCKER_ACTION)));

            assertThat(action).as("the same reading as the API runtime's")
                .usingRecursiveComparison().ignoringFields("unreported", "inherited")
                .isEqualTo(DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION));
            assertThat(action.unreported()).as("PidMode and NetworkMode are there").isEmpty();
        }

        @Test
        void podmansEntrypointStringCountsAsUnknown() throws IOException {
            JsonNode podman = JSON.readTree("""
                [{"Id":"abc","Image":"af044ba1","Created":"2026-11-25T13:57:53.815946092Z",
                  "Config":{"Entrypoint":"java -jar quarkus-run.jar","Cmd":["reboot"],"Env":["A=1"],"Labels":{}},
                  "HostConfig":{"Privileged":true,"PidMode":"host","NetworkMode":"bridge",
                    "Binds":["/tmp/x:/out:ro,rprivate,rbind"],"CapDrop":["CAP_SYS_RESOURCE"]}}]""");

            ContainerInfo action = CliInspectParser.container(CliInspectParser.first(podman));

            assertThat(action.entrypoint()).isNull();
            assertThat(action.cmd()).containsExactly("reboot");
            assertThat(action.host().privileged()).isTrue();
            assertThat(action.host().binds()).containsExactly("/tmp/x:/out:ro,rprivate,rbind");
            assertThat(action.unreported()).isEmpty();
        }

        @Test
        void readsImageInspectOfAnyOfThem() throws IOException {
            JsonNode image = JSON.readTree("""
                [{"Id":"sha256:1","Config":{"Env":["PATH=/opt/java/bin"],"Entrypoint":["java","-jar","quarkus-run.jar"]}}]""");

            var info = CliInspectParser.image(CliInspectParser.first(image));

            assertThat(info.env()).containsExactly("PATH=/opt/java/bin");
            assertThat(info.entrypoint()).containsExactly("java", "-jar", "quarkus-run.jar");
        }
    }
}
