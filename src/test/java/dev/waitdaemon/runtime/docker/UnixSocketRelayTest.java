package dev.waitdaemon.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.waitdaemon.support.FakeUnixEngine;

class UnixSocketRelayTest {

    @TempDir
    Path folder;

    private FakeUnixEngine engine;
    private UnixSocketRelay relay;

    @BeforeEach
    void start() throws IOException {
        engine = new FakeUnixEngine(folder.resolve("engine.sock"), request -> FakeUnixEngine.Reply.json(200, "{\"ok\":true}"));
        relay = UnixSocketRelay.start(engine.socket());
    }

    @AfterEach
    void stop() throws IOException {
        relay.close();
        engine.close();
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(relay.baseUri().getHost()).isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());
    }

    @Test
    void refusesAConnectionWithoutTheSecretAndNeverReachesTheEngine() throws IOException {
        String answer = exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403");
        assertThat(engine.connections()).isZero();
    }

    @Test
    void refusesAWrongSecret() throws IOException {
        String answer = exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n" + UnixSocketRelay.SECRET_HEADER + ": "
            + "0".repeat(relay.secret().length()) + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403");
        assertThat(engine.connections()).isZero();
    }

    @Test
    void carriesARequestWithTheSecretToTheSocketAndBack() throws IOException {
        String answer = exchange("GET /_ping HTTP/1.1\r\nHost: x\r\nx-waitdaemon-relay: " + relay.secret()
            + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"ok\":true}");
        assertThat(engine.requests()).singleElement().extracting(FakeUnixEngine.Request::path).isEqualTo("/_ping");
    }

    @Test
    void usesAFreshSecretPerRelay() throws IOException {
        try (UnixSocketRelay other = UnixSocketRelay.start(engine.socket())) {
            assertThat(other.secret()).hasSize(64).isNotEqualTo(relay.secret());
        }
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(relay.baseUri().getHost(), relay.baseUri().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                if (answer.indexOf("\r\n\r\n") > 0 && answer.toString().endsWith("}")
                    || answer.toString().endsWith("wrong")) {
                    break;
                }
            }
            return answer.toString();
        }
    }
}
