package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.PublishedImage;

/**
 * The image as operators get it: publish.sh's multi-platform image pulled back from a registry by the
 * engine, which picks the amd64 image from the list, and held to the whole action contract.
 */
class PublishedImageActionIT extends DockerApiActionIT {

    @Override
    String image() {
        return PublishedImage.reference();
    }

    @Override
    @BeforeAll
    void imageInTheEngine() {
        EngineCli.DOCKER.run("image", "rm", image());
        EngineCli.DOCKER.ok("pull", image());
        assertThat(EngineCli.DOCKER.ok("image", "inspect", "--format", "{{.Architecture}} {{.Os}}", image()))
            .isEqualTo("amd64 linux");
    }
}
