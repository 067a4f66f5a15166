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

    @Test
    void dropsAClientThatSendsNoRequestHead() throws IOException {
        try (Socket silent = new Socket(relay.baseUri().getHost(), relay.baseUri().getPort())) {
            silent.setSoTimeout(UnixSocketRelay.HEAD_TIMEOUT_MILLIS * 3);
            long started = System.nanoTime();

            int read = silent.getInputStream().read();

            assertThat(read).as("closed by the relay").isEqualTo(-1);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started).toMillis())
                .isGreaterThanOrEqualTo(UnixSocketRelay.HEAD_TIMEOUT_MILLIS - 100L);
        }
    }

    @Test
    void dropsAClientThatTricklesItsHeadPastTheDeadlineThoughEachByteComesInTime() throws Exception {
        try (UnixSocketRelay strict = UnixSocketRelay.start(engine.socket(), 1_000);
             Socket trickling = new Socket(strict.baseUri().getHost(), strict.baseUri().getPort())) {
            trickling.setSoTimeout(60_000);
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        trickling.getOutputStream().write('G');
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the relay dropped it, or the test is over
                }
            });
            writer.setDaemon(true);
            writer.start();

            assertThat(trickling.getInputStream().read()).as("closed by the relay, unanswered").isEqualTo(-1);
            assertThat(engine.connections()).isZero();
        }
    }

    @Test
    void clientsWithoutTheSecretNeverTakeTheSlotsOfTheOwnClient() throws Exception {
        java.util.List<Socket> silent = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < UnixSocketRelay.MAX_CONNECTIONS; i++) {
                silent.add(new Socket(relay.baseUri().getHost(), relay.baseUri().getPort()));
            }
            awaitCount(relay::checking, UnixSocketRelay.MAX_CONNECTIONS);

            String answer = exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n" + UnixSocketRelay.SECRET_HEADER + ": "
                + relay.secret() + "\r\nConnection: close\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
    }

    /**
     * Another process on the machine (every action of an IPA ramdisk has host networking) holds more idle
     * connections than there are slots: each is closed as it is accepted, and this process's calls go on.
     */
    @Test
    void connectionsAnotherProcessOpensAreClosedBeforeTheyTakeASlot() throws Exception {
        int port = relay.baseUri().getPort();
        int idle = UnixSocketRelay.MAX_PENDING + 14;
        Process other = new ProcessBuilder("bash", "-c", "for fd in $(seq 3 " + (idle + 2) + "); do eval \"exec $fd<>/dev/tcp/127.0.0.1/"
            + port + "\"; done; echo opened; exec sleep 60").redirectErrorStream(true).start();
        try {
            String said = new String(other.getInputStream().readNBytes("opened\n".length()), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(said).isEqualTo("opened\n");

            String answer = exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n" + UnixSocketRelay.SECRET_HEADER + ": "
                + relay.secret() + "\r\nConnection: close\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(relay.checking()).as("no slot held by the other process").isZero();
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void theClientEndOfALoopbackConnectionIsFoundInTheKernelsTable() throws Exception {
        try (Socket own = new Socket(relay.baseUri().getHost(), relay.baseUri().getPort())) {
            LoopbackPeers peers = LoopbackPeers.ofThisProcess();
            assertThat(peers.clientInode(own.getLocalPort(), own.getPort())).isPresent();
            assertThat(peers.clientInode(1, 2)).isEmpty();
        }
    }

    @Test
    void servesABoundedNumberOfConnectionsAtOnceAndSaysSoInAWholeSentence() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (FakeUnixEngine slow = new FakeUnixEngine(folder.resolve("slow.sock"), request -> {
                awaitQuietly(release);
                return FakeUnixEngine.Reply.json(200, "{\"ok\":true}");
            });
             UnixSocketRelay bounded = UnixSocketRelay.start(slow.socket())) {
            java.util.List<Socket> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < UnixSocketRelay.MAX_CONNECTIONS; i++) {
                    Socket socket = new Socket(bounded.baseUri().getHost(), bounded.baseUri().getPort());
                    socket.getOutputStream().write(("GET /_ping HTTP/1.1\r\nHost: x\r\n" + UnixSocketRelay.SECRET_HEADER
                        + ": " + bounded.secret() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    held.add(socket);
                }
                awaitCount(bounded::serving, UnixSocketRelay.MAX_CONNECTIONS);

                String answer = exchangeUntilClosed(bounded, "GET /_ping HTTP/1.1\r\nHost: x\r\n"
                    + UnixSocketRelay.SECRET_HEADER + ": " + bounded.secret() + "\r\n\r\n");

                assertThat(answer).startsWith("HTTP/1.1 503")
                    .endsWith("relay busy: at most 32 connections at once, and 64 being checked");
                String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                assertThat(answer).contains("Content-Length: " + body.length() + "\r\n");
            } finally {
                release.countDown();
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    /** Waits for the relay to have counted them: the event, not a guess at how long its threads take. */
    private static void awaitCount(java.util.function.IntSupplier count, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        while (count.getAsInt() < expected) {
            assertThat(System.nanoTime()).as("the relay never counted " + expected).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exchangeUntilClosed(UnixSocketRelay relay, String request) throws IOException {
        try (Socket socket = new Socket(relay.baseUri().getHost(), relay.baseUri().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
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
