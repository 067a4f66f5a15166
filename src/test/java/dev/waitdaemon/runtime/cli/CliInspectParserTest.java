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

    /** nerdctl 2.2.1's own inspect output (fixtures/nerdctl-2.2.1), of actions created as tink-agent creates them. */
    @Nested
    class Nerdctl {

        private static final String ACTION_ID = "38073071932c28fbf5aa7df47b95afd656d4d5e4e557242d1a902530bff427aa";

        private final ContainerInfo action = CliInspectParser.container(captured("action-running-inspect"));

        Nerdctl() throws IOException {
        }

        private static JsonNode captured(String name) throws IOException {
            return CliInspectParser.first(JSON.readTree(NerdctlCapture.of(name).stdout()));
        }

        @Test
        void readsTheArrayItPrints() {
            assertThat(action.id()).isEqualTo(ACTION_ID);
            assertThat(action.imageId()).isEqualTo("docker.io/bars/busybox:test");
            assertThat(action.labels()).containsEntry("nerdctl/namespace", "tinkerbell");
        }

        /**
         * tink-agent binds its tink-dns copies over resolv.conf, hosts and hostname, and ctr adds the
         * machine's hosts and resolv.conf read-only: the engine's files, which the clone gets its own of.
         */
        @Test
        void turnsMountsIntoBindsWithoutTheEnginesFiles() {
            assertThat(action.host().binds()).containsExactly("/tmp/out:/out");
        }

        @Test
        void marksWhatDockercompatLeavesOutAndKeepsTheEnvironmentItReports() {
            assertThat(action.unreported()).containsExactlyInAnyOrder(Unreported.COMMAND, Unreported.PRIVILEGED,
                Unreported.PID_MODE, Unreported.NETWORK_MODE);
            assertThat(action.env()).containsExactly("PATH=/bin", "IMAGE=bars/busybox:test", "WAIT_SECONDS=1",
                "HOSTNAME=08fc9e5cecd3");
            assertThat(action.entrypoint()).isNull();
        }

        @Test
        void anEmptyCmdBesideProcessArgsCountsAsUnreported() throws IOException {
            JsonNode container = JSON.readTree("""
                {"Id":"x","Path":"java","Args":["-jar","quarkus-run.jar","reboot"],"Config":{"Cmd":[],"Env":["A=1"]},
                 "HostConfig":{"Privileged":true,"PidMode":"host","NetworkMode":"host"}}""");

            assertThat(CliInspectParser.container(container).unreported()).containsExactly(Unreported.COMMAND);
        }

        /** A container nerdctl created with --tmpfs /scratch:size=1m --add-host peer:10.1.2.3 (among others). */
        @Test
        void keepsWhatItDoesReport() throws IOException {
            ContainerInfo created = CliInspectParser.container(captured("nerdctl-started-inspect"));

            assertThat(created.inherited().hostConfig().get("Tmpfs")).isEqualTo(JSON.readTree("{\"/scratch\":\"noexec,nosuid,nodev,size=1m\"}"));
            assertThat(created.inherited().hostConfig().get("ExtraHosts")).isEqualTo(JSON.readTree("[\"peer:10.1.2.3\"]"));
        }

        @Test
        void summarisesForTheCleanUp() throws IOException {
            var summary = CliInspectParser.summary(captured("action-running-inspect"));

            assertThat(summary.running()).isTrue();
            assertThat(summary.created()).isEqualTo(Instant.parse("2026-12-06T21:25:50.673349619Z"));
        }

        /** ctr-created containers never have a StartedAt; one that exited keeps its old Pid beside its exit code. */
        @Test
        void reportsTheStateWithTheInitPidAndTheImageByName() throws IOException {
            var status = CliInspectParser.status(captured("action-running-inspect"));

            assertThat(status.running()).isTrue();
            assertThat(status.initPid()).isEqualTo(171);
            assertThat(status.image()).as("nerdctl's Image is the name").isEqualTo("docker.io/bars/busybox:test");
            assertThat(status.exitCode()).as("no exit code while it runs").isEmpty();
            assertThat(status.startedAt()).isEmpty();
            assertThat(status.finishedAt()).isEmpty();

            var exited = CliInspectParser.status(captured("action-short-exited-inspect"));
            assertThat(exited.running()).isFalse();
            assertThat(exited.exitCode()).contains(3);
            assertThat(exited.finishedAt()).contains(Instant.parse("2026-12-06T21:25:51.226630516Z"));

            var started = CliInspectParser.status(captured("nerdctl-started-inspect"));
            assertThat(started.startedAt()).contains(Instant.parse("2026-12-06T21:26:04.593414599Z"));
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
