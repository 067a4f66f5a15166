package dev.waitdaemon.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import org.jboss.logging.Logger;

/**
 * Carries HTTP between the REST client and a Unix socket, because the REST client of Quarkus 3 cannot
 * dial one. It listens on loopback only, on an ephemeral port, and serves a connection only when its
 * first request carries {@link #SECRET_HEADER} with this process's random secret, so no other local
 * process can use it to reach the engine. A connection another process opened is closed as it is
 * accepted ({@link LoopbackPeers}), before it can take one of the slots waitdaemon's own calls need
 * (with host networking every process of the machine can reach loopback). Remove it once the client can dial the socket itself
 * ({@code waitdaemon.docker.unix-transport}).
 */
public final class UnixSocketRelay implements AutoCloseable {

    public static final String SECRET_HEADER = "X-Waitdaemon-Relay";

    private static final Logger LOG = Logger.getLogger(UnixSocketRelay.class);
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    /** A client that has not sent its first request's whole head by then is not ours. */
    static final int HEAD_TIMEOUT_MILLIS = 5_000;
    /** Connections served at once, once they have shown the secret; waitdaemon's own client needs a handful. */
    static final int MAX_CONNECTIONS = 32;
    /**
     * Connections whose head is still being read. Kept apart from the served ones, so that clients
     * without the secret cannot take the slots of waitdaemon's own client; each is bounded by the head's deadline.
     */
    static final int MAX_PENDING = 64;
    private static final byte[] BUSY = plainAnswer("503 Service Unavailable",
        "relay busy: at most " + MAX_CONNECTIONS + " connections at once, and " + MAX_PENDING + " being checked");
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};
    private static final byte[] FORBIDDEN = plainAnswer("403 Forbidden", "relay secret missing/wrong");

    private final Path socket;
    private final ServerSocket server;
    private final String secret;
    private final ExecutorService workers;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final Semaphore pending = new Semaphore(MAX_PENDING);
    private final long headTimeoutMillis;
    private final LoopbackPeers peers = LoopbackPeers.ofThisProcess();

    private UnixSocketRelay(Path socket, ServerSocket server, String secret, long headTimeoutMillis) {
        this.socket = socket;
        this.server = server;
        this.secret = secret;
        this.headTimeoutMillis = headTimeoutMillis;
        this.workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "unix-socket-relay");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts relaying to {@code socket}; the caller checks the socket exists. */
    public static UnixSocketRelay start(Path socket) throws IOException {
        return start(socket, HEAD_TIMEOUT_MILLIS);
    }

    static UnixSocketRelay start(Path socket, long headTimeoutMillis) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MAX_PENDING);
        UnixSocketRelay relay = new UnixSocketRelay(socket, server, HexFormat.of().formatHex(random), headTimeoutMillis);
        relay.workers.execute(relay::acceptLoop);
        return relay;
    }

    public URI baseUri() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
    }

    /** The value of {@link #SECRET_HEADER} that every client of this relay must send. */
    public String secret() {
        return secret;
    }

    /** Connections being served after showing the secret, and those whose head is being read: for tests. */
    int serving() {
        return MAX_CONNECTIONS - connections.availablePermits();
    }

    int checking() {
        return MAX_PENDING - pending.availablePermits();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                // Before it may take a slot: a connection another process opened is closed at once.
                if (!peers.openedHere(client).orElse(true)) {
                    closeQuietly(client);
                    continue;
                }
                if (!pending.tryAcquire()) {
                    refuse(client, BUSY);
                    continue;
                }
                workers.execute(() -> serve(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debugf("relay accept failed: %s", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        open.add(client);
        boolean served = false;
        try (client) {
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            byte[] head;
            try {
                head = readHead(client, fromClient, System.nanoTime() + headTimeoutMillis * 1_000_000);
            } finally {
                pending.release();
            }
            if (head == null || !carriesSecret(head)) {
                toClient.write(FORBIDDEN);
                toClient.flush();
                return;
            }
            if (!connections.tryAcquire()) {
                toClient.write(BUSY);
                toClient.flush();
                return;
            }
            served = true;
            // Past the check a stream may idle as long as the engine takes (a pull); the client's own
            // timeouts bound it.
            client.setSoTimeout(0);
            try (SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                open.add(engine);
                engine.connect(UnixDomainSocketAddress.of(socket));
                writeFully(engine, head, head.length);
                workers.execute(() -> pumpToEngine(fromClient, engine));
                pumpToClient(engine, toClient);
            } finally {
                open.removeIf(closeable -> closeable instanceof SocketChannel channel && !channel.isOpen());
            }
        } catch (IOException e) {
            LOG.debugf("relay connection ended: %s", e.getMessage());
        } finally {
            if (served) {
                connections.release();
            }
            open.remove(client);
        }
    }

    private static void refuse(Socket client, byte[] answer) {
        try (client) {
            client.getOutputStream().write(answer);
        } catch (IOException e) {
            LOG.debugf("relay refusal not delivered: %s", e.getMessage());
        }
    }

    /**
     * Reads up to the end of the first request's head; null when the client sends none. Not all of it by
     * {@code deadline} (System.nanoTime) is a timeout, and the connection is dropped unanswered: the bound
     * is for the whole head, not for each read, so a client that trickles a byte at a time goes too.
     */
    private static byte[] readHead(Socket client, InputStream in, long deadline) throws IOException {
        byte[] buffer = new byte[MAX_HEAD_BYTES];
        int length = 0;
        while (length < buffer.length) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no whole request head within the deadline");
            }
            client.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                return null;
            }
            length += read;
            if (indexOf(buffer, length, END_OF_HEAD) >= 0) {
                return java.util.Arrays.copyOf(buffer, length);
            }
        }
        return null;
    }

    private static byte[] plainAnswer(String status, String text) {
        return ("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + text.length()
            + "\r\nConnection: close\r\n\r\n" + text).getBytes(StandardCharsets.US_ASCII);
    }

    private boolean carriesSecret(byte[] head) {
        int end = indexOf(head, head.length, END_OF_HEAD);
        String text = new String(head, 0, end, StandardCharsets.ISO_8859_1);
        String prefix = SECRET_HEADER.toLowerCase(Locale.ROOT) + ":";
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                byte[] offered = line.substring(prefix.length()).trim().getBytes(StandardCharsets.ISO_8859_1);
                return MessageDigest.isEqual(offered, secret.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return false;
    }

    private static void pumpToEngine(InputStream fromClient, SocketChannel engine) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int read;
            while ((read = fromClient.read(buffer)) >= 0) {
                writeFully(engine, buffer, read);
            }
            engine.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(engine);
        }
    }

    private static void pumpToClient(SocketChannel engine, OutputStream toClient) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (engine.read(buffer) >= 0) {
            buffer.flip();
            toClient.write(buffer.array(), 0, buffer.limit());
            toClient.flush();
            buffer.clear();
        }
    }

    private static void writeFully(SocketChannel channel, byte[] bytes, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static int indexOf(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i <= length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closing
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        open.forEach(UnixSocketRelay::closeQuietly);
        workers.shutdownNow();
    }
}
