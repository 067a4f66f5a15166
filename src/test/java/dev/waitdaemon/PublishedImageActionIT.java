package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.PublishedImage;
import dev.waitdaemon.support.TinkAgentEmulator;
import dev.waitdaemon.support.TinkAgentEmulator.Action;
import dev.waitdaemon.support.TinkAgentEmulator.Outcome;

/**
 * The image as operators get it: publish.sh's multi-platform image pulled back from a registry by the
 * engine, which picks the amd64 image from the list. The test command publishes the amd64 image that
 * build-image.sh made (publish.sh --amd64-from), the one the whole action contract runs on: here, that it
 * is that very image after the registry's round trip, and one action run from it end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishedImageActionIT {

    private static final EngineCli DOCKER = EngineCli.DOCKER;

    @BeforeAll
    void imageInTheEngine() {
        DOCKER.run("image", "rm", PublishedImage.reference());
        DOCKER.ok("pull", PublishedImage.reference());
    }

    @Test
    void theEnginePicksTheAmd64ImageAndItIsTheOneTheContractRanOn() {
        assertThat(DOCKER.ok("image", "inspect", "--format", "{{.Architecture}} {{.Os}}", PublishedImage.reference()))
            .isEqualTo("amd64 linux");
        assertThat(DOCKER.ok("image", "inspect", "--format", "{{.Id}}", PublishedImage.reference()))
            .as("the pulled image's config digest").isEqualTo(DOCKER.ok("image", "inspect", "--format", "{{.Id}}", ActionContractIT.WAITDAEMON));
    }

    @Test
    void asAnActionItReportsAtOnceAndStartsTheTarget(@TempDir Path out) throws IOException, InterruptedException {
        Outcome action = new TinkAgentEmulator(DOCKER, PublishedImage.reference()).run(Action.of("IMAGE", ActionContractIT.TARGET,
            "WAIT_SECONDS", "0").withVolumes(List.of(ActionContractIT.DOCKER_SOCKET, out + ":/out")).withCommand("published"));
        try {
            assertThat(action.exitCode()).as(action.stdout() + action.stderr()).isZero();
            Path entrypoint = out.resolve("entrypoint");
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (!Files.exists(entrypoint)) {
                assertThat(Instant.now()).as("the target's start").isBefore(deadline);
                Thread.sleep(50);
            }
            assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("published");
        } finally {
            for (String id : DOCKER.labelled("waitdaemon.action=" + action.actionId())) {
                DOCKER.run("wait", id);
                DOCKER.run("rm", "-f", id);
            }
        }
    }
}
