package dev.waitdaemon.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A minimal HTTP/1.1 server on a Unix socket that answers like an engine would, for tests of the
 * transport and the error mapping without a real engine. Keeps connections alive; records requests.
 */
public final class FakeUnixEngine implements AutoCloseable {

    public record Request(String method, String path, List<String> headerLines, String body) {
    }

    public record Reply(int status, String contentType, String body, List<String> headers) {
        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, List.of());
        }
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<Request, Reply> routes;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    public FakeUnixEngine(Path socket, Function<Request, Reply> routes) throws IOException {
        this.socket = socket;
        this.routes = routes;
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::acceptLoop, "fake-engine");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path socket() {
        return socket;
    }

    public List<Request> requests() {
        return requests;
    }

    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                connections.incrementAndGet();
                Thread worker = new Thread(() -> serve(client), "fake-engine-connection");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (client.read(buffer) >= 0) {
                buffer.flip();
                pending.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
                Request request;
                while ((request = takeRequest(pending)) != null) {
                    requests.add(request);
                    Reply reply = routes.apply(request);
                    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
                    StringBuilder head = new StringBuilder("HTTP/1.1 " + reply.status() + " X\r\n")
                        .append("Content-Type: ").append(reply.contentType()).append("\r\n")
                        .append("Content-Length: ").append(body.length).append("\r\n");
                    reply.headers().forEach(header -> head.append(header).append("\r\n"));
                    head.append("\r\n");
                    client.write(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
                    client.write(ByteBuffer.wrap(body));
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    /** Removes one complete request from {@code pending}, or returns null when more bytes are needed. */
    private static Request takeRequest(ByteArrayOutputStream pending) {
        String text = pending.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return null;
        }
        List<String> lines = List.of(text.substring(0, end).split("\r\n"));
        int length = lines.stream().skip(1)
            .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .mapToInt(line -> Integer.parseInt(line.substring(15).trim())).findFirst().orElse(0);
        if (text.length() < end + 4 + length) {
            return null;
        }
        String body = text.substring(end + 4, end + 4 + length);
        String rest = text.substring(end + 4 + length);
        pending.reset();
        pending.writeBytes(rest.getBytes(StandardCharsets.ISO_8859_1));
        String[] requestLine = lines.get(0).split(" ");
        return new Request(requestLine[0], requestLine[1], lines.subList(1, lines.size()), body);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
