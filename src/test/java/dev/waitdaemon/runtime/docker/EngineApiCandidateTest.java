package dev.waitdaemon.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.EngineAddress;
import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.RuntimeUnavailableException;
import dev.waitdaemon.support.FakeUnixEngine;
import dev.waitdaemon.support.FakeUnixEngine.Reply;

/** When an engine counts as Docker-compatible: the API version its ping names, else /version. */
@QuarkusTest
class EngineApiCandidateTest {

    private Path folder;
    private FakeUnixEngine engine;

    @BeforeEach
    void folder() throws IOException {
        folder = Files.createTempDirectory("candidate");
    }

    @AfterEach
    void stop() throws IOException {
        if (engine != null) {
            engine.close();
        }
        Files.deleteIfExists(folder.resolve("docker.sock"));
        Files.deleteIfExists(folder);
    }

    private EngineApiCandidate candidateFor(Function<FakeUnixEngine.Request, Reply> routes) throws IOException {
        engine = new FakeUnixEngine(folder.resolve("docker.sock"), routes);
        Path socket = engine.socket();
        return new EngineApiCandidate(new ObjectMapper()) {
            @Override public String name() { return "docker-api"; }
            @Override public int order() { return 10; }
            @Override public RuntimeChoice serves() { return RuntimeChoice.DOCKER; }
            @Override protected EngineAddress address(Settings settings) { return new EngineAddress.UnixSocket(socket); }
        };
    }

    private List<String> paths() {
        return engine.requests().stream().map(FakeUnixEngine.Request::path).toList();
    }

    @Test
    void aPingThatNamesTheApiVersionIsEnough() throws Exception {
        EngineApiCandidate candidate = candidateFor(request -> request.path().equals("/_ping")
            ? new Reply(200, "text/plain", "OK", List.of("Api-Version: 1.41"))
            : Reply.json(404, "{\"message\":\"not asked\"}"));
        try (ContainerRuntime runtime = candidate.connect(null)) {
            assertThat(runtime.name()).isEqualTo("docker-api");
        }
        assertThat(paths()).containsExactly("/_ping");
    }

    @Test
    void aPingWithoutAnApiVersionNeedsVersionToAnswer() throws Exception {
        EngineApiCandidate candidate = candidateFor(request -> switch (request.path()) {
            case "/_ping" -> new Reply(200, "text/plain", "OK", List.of());
            case "/v1.24/version" -> Reply.json(200, "{\"Version\":\"1.12.6\",\"ApiVersion\":\"1.24\"}");
            default -> Reply.json(404, "{\"message\":\"not asked\"}");
        });
        try (ContainerRuntime runtime = candidate.connect(null)) {
            assertThat(runtime.name()).isEqualTo("docker-api");
        }
        assertThat(paths()).containsExactly("/_ping", "/v1.24/version");
    }

    @Test
    void somethingElseAnsweringThePingIsRefusedWithTheFix() throws Exception {
        EngineApiCandidate candidate = candidateFor(request -> request.path().equals("/_ping")
            ? new Reply(200, "text/plain", "pong", List.of())
            : new Reply(404, "text/plain", "no such page", List.of()));
        assertThatThrownBy(() -> candidate.connect(null))
            .isInstanceOfSatisfying(RuntimeUnavailableException.class, e -> {
                assertThat(e.reason()).contains("answered the ping but not /version");
                assertThat(e.fix()).contains("Docker-compatible engine");
            });
    }
}
