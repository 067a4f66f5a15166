package dev.waitdaemon.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.EngineAddress;
import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.registry.RegistryHost;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.RuntimeUnavailableException;
import dev.waitdaemon.support.FakeUnixEngine;
import dev.waitdaemon.support.FakeUnixEngine.Reply;

/** The typed client through the relay against a scripted engine: negotiation, errors, pull streams. */
@QuarkusTest
class DockerEngineApiTest {

    private Path folder;
    private FakeUnixEngine engine;
    private DockerRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        folder = Files.createTempDirectory("engine");
        engine = new FakeUnixEngine(folder.resolve("docker.sock"), DockerEngineApiTest::route);
        DockerClients clients = DockerClients.connect(new EngineAddress.UnixSocket(engine.socket()));
        runtime = new DockerRuntime("docker-api", clients, new ObjectMapper());
    }

    @AfterEach
    void stop() throws IOException {
        runtime.close();
        engine.close();
        Files.deleteIfExists(folder);
    }

    /** Docker 29 refuses clients older than API 1.44, in these words; the version the ping announces is spoken. */
    @Test
    void anEngineWithANewerMinimumVersionIsSpokenToInTheVersionItAnnounces() throws Exception {
        Path newer = Files.createTempDirectory("engine29");
        try (FakeUnixEngine docker29 = new FakeUnixEngine(newer.resolve("docker.sock"), request -> {
                if (request.path().equals("/_ping")) {
                    return new Reply(200, "text/plain", "OK", List.of("Api-Version: 1.52"));
                }
                if (!request.path().startsWith("/v1.52/")) {
                    return Reply.json(400, "{\"message\":\"client version 1.41 is too old. Minimum supported API version"
                        + " is 1.44, please upgrade your client to a newer version\"}");
                }
                return Reply.json(404, "{\"message\":\"No such container: x\"}");
            });
             DockerRuntime speaking = new DockerRuntime("docker-api",
                 DockerClients.connect(new EngineAddress.UnixSocket(docker29.socket())), new ObjectMapper())) {

            assertThat(speaking.isRunning("x")).isFalse();
            assertThat(docker29.requests()).extracting(FakeUnixEngine.Request::path).contains("/v1.52/containers/x/json");
        } finally {
            Files.deleteIfExists(newer.resolve("docker.sock"));
            Files.deleteIfExists(newer);
        }
    }

    private static Reply route(FakeUnixEngine.Request request) {
        String path = request.path();
        if (path.equals("/_ping")) {
            return new Reply(200, "text/plain", "OK", List.of("Api-Version: 1.43"));
        }
        if (path.equals("/v1.43/containers/missing/json")) {
            return Reply.json(404, "{\"message\":\"No such container: missing\"}");
        }
        if (path.equals("/v1.43/containers/create")) {
            return Reply.json(409, "{\"message\":\"Conflict. The container name is already in use\"}");
        }
        if (path.equals("/v1.43/containers/broken/json")) {
            return new Reply(500, "text/plain", "engine on fire", List.of());
        }
        if (path.startsWith("/v1.43/images/create?fromImage=bad")) {
            return Reply.json(200, "{\"status\":\"Pulling from bad\"}\n{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\n");
        }
        if (path.startsWith("/v1.43/images/create?fromImage=good") || path.contains("private%2Fgood")) {
            return Reply.json(200, "{\"status\":\"Pulling from good\"}\r\n{\"status\":\"Digest: sha256:1\"}\r\n");
        }
        if (path.startsWith("/v1.43/images/local%2Fthing:1/json") || path.startsWith("/v1.43/images/local/thing:1/json")) {
            return Reply.json(200, "{\"Id\":\"sha256:abc\",\"Config\":{\"Env\":[\"PATH=/bin\"]}}");
        }
        return Reply.json(404, "{\"message\":\"no route " + path + "\"}");
    }

    @Test
    void negotiatesTheEnginesApiVersionAndSendsTheRelaySecret() {
        assertThat(runtime.inspectImage("local/thing:1")).hasValueSatisfying(image -> {
            assertThat(image.id()).isEqualTo("sha256:abc");
            assertThat(image.env()).containsExactly("PATH=/bin");
        });
        assertThat(engine.requests()).extracting(FakeUnixEngine.Request::path)
            .contains("/_ping").anyMatch(path -> path.startsWith("/v1.43/images/"));
    }

    @Test
    void mapsNotFoundWithDockersMessage() {
        assertThatThrownBy(() -> runtime.inspectContainer("missing"))
            .isInstanceOf(EngineException.NotFound.class).hasMessage("No such container: missing");
        assertThat(runtime.isRunning("missing")).as("gone means not running").isFalse();
    }

    @Test
    void mapsConflict() {
        assertThatThrownBy(() -> runtime.createAndStart(new dev.waitdaemon.runtime.ContainerSpec("img", null, null,
            null, null, false, new dev.waitdaemon.runtime.HostSettings(false, null, null, null, null, null, null, null,
            null, null, null))))
            .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("already in use");
    }

    @Test
    void mapsServerErrorsWithTheirTextBody() {
        assertThatThrownBy(() -> runtime.inspectContainer("broken"))
            .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(500))
            .hasMessage("engine on fire");
    }

    @Test
    void aMissingImageIsEmptyNotAnError() {
        assertThat(runtime.inspectImage("nothing:here")).isEmpty();
    }

    @Test
    void aPullFailsOnAnErrorInsideTheSuccessfulStream() {
        assertThatThrownBy(() -> runtime.pull(ImageReference.parse("bad:1"), Optional.empty())).isInstanceOf(EngineException.class)
            .hasMessage("manifest unknown");
    }

    @Test
    void aPullSucceedsWhenTheStreamEndsCleanly() {
        runtime.pull(ImageReference.parse("good:1"), Optional.empty());

        assertThat(engine.requests()).filteredOn(request -> request.path().startsWith("/v1.43/images/create"))
            .singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/v1.43/images/create?fromImage=good&tag=1");
                assertThat(request.headerLines()).noneMatch(line -> line.toLowerCase().startsWith("x-registry-auth"));
            });
    }

    @Test
    void credentialsTravelOnlyInTheRegistryAuthHeader() {
        ImageReference image = ImageReference.parse("127.0.0.1:5056/private/good:1");
        RegistryCredentials credentials = RegistryCredentials.password(RegistryHost.of(image), "tink", "s3cr3t", "test");

        runtime.pull(image, Optional.of(credentials));

        assertThat(engine.requests()).filteredOn(request -> request.path().contains("/images/create")).singleElement()
            .satisfies(request -> {
                assertThat(request.path()).doesNotContain("s3cr3t");
                assertThat(request.headerLines()).contains("X-Registry-Auth: " + credentials.engineAuthHeader());
            });
    }

    @Test
    void aMissingSocketIsRefusedWithTheFix() {
        assertThatThrownBy(() -> DockerClients.connect(new EngineAddress.UnixSocket(folder.resolve("absent.sock"))))
            .isInstanceOfSatisfying(RuntimeUnavailableException.class, e -> {
                assertThat(e.reason()).startsWith("no socket at ");
                assertThat(e.fix()).contains("mount it into the action");
            });
    }
}
