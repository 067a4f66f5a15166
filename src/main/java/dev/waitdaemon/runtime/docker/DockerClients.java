package dev.waitdaemon.runtime.docker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.Response;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

import dev.waitdaemon.config.EngineAddress;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.RuntimeUnavailableException;

/**
 * Typed clients of one engine at a negotiated API version, plus the transport under them: a
 * {@link UnixSocketRelay} for a socket, nothing for TCP. Builder-made clients ignore
 * {@code quarkus.rest-client.*}, so every timeout is set here.
 */
final class DockerClients implements AutoCloseable {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** A pull of a large image over a slow link; the progress stream keeps it honest. */
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(15);
    /** The oldest API whose payloads match {@link DockerModel} (Docker 1.12, podman's service reports 1.41). */
    private static final String MIN_API_VERSION = "1.24";
    private static final Pattern API_VERSION = Pattern.compile("1\\.[0-9]{1,3}");

    private final EngineAddress address;
    private final UnixSocketRelay relay;
    private final URI root;
    private final String apiVersion;
    private final boolean versionNamed;
    private final boolean libpod;
    private final DockerEngineApi api;
    private DockerEngineApi pullApi;

    private DockerClients(EngineAddress address, UnixSocketRelay relay, URI root, Ping ping) {
        this.address = address;
        this.relay = relay;
        this.root = root;
        this.versionNamed = ping.apiVersion() != null;
        this.apiVersion = versionNamed ? ping.apiVersion() : MIN_API_VERSION;
        this.libpod = ping.libpod();
        this.api = build(versioned(), CALL_TIMEOUT);
    }

    /** Reaches the engine, pings it and settles the API version; refusals say why and how to fix. */
    static DockerClients connect(EngineAddress address) throws RuntimeUnavailableException {
        UnixSocketRelay relay = null;
        URI root;
        if (address instanceof EngineAddress.UnixSocket unix) {
            if (!Files.exists(unix.path())) {
                throw new RuntimeUnavailableException("no socket at " + unix.path(),
                    "mount it into the action (volumes: - " + unix.path() + ":" + unix.path() + ") or set DOCKER_HOST");
            }
            try {
                relay = UnixSocketRelay.start(unix.path());
            } catch (IOException e) {
                throw new RuntimeUnavailableException("cannot open a loopback port for the socket relay: " + e.getMessage(),
                    "check that the loopback interface is up in the action's network namespace");
            }
            root = relay.baseUri();
        } else {
            EngineAddress.Tcp tcp = (EngineAddress.Tcp) address;
            root = URI.create("http://" + tcp.host() + ":" + tcp.port());
        }
        try {
            return new DockerClients(address, relay, root, negotiate(address, relay, root));
        } catch (RuntimeUnavailableException | RuntimeException e) {
            if (relay != null) {
                relay.close();
            }
            throw e;
        }
    }

    /**
     * What the engine's ping says: the API version it names (null when it names none), and whether it is podman's
     * service (it names its libpod API too: podman's pkg/api/server/handler_api.go, 4.3 and 5.8).
     */
    private record Ping(String apiVersion, boolean libpod) {
    }

    private static Ping negotiate(EngineAddress address, UnixSocketRelay relay, URI root)
        throws RuntimeUnavailableException {
        DockerEngineApi unversioned = build(root, relay, PROBE_TIMEOUT);
        String offered;
        boolean libpod;
        try (Response ping = unversioned.ping()) {
            offered = ping.getHeaderString("Api-Version");
            libpod = ping.getHeaderString("Libpod-Api-Version") != null;
        } catch (EngineException e) {
            throw new RuntimeUnavailableException(address + " answered the ping with an error: " + e.getMessage(),
                "check that the socket belongs to a Docker-compatible engine");
        } catch (RuntimeException e) {
            throw new RuntimeUnavailableException("no answer from " + address + " within " + PROBE_TIMEOUT.toSeconds()
                + " s (" + e.getClass().getSimpleName() + ")", "check that the engine is running");
        }
        if (offered == null || !API_VERSION.matcher(offered).matches()) {
            // Docker answers without the header only before API 1.25.
            return new Ping(null, libpod);
        }
        if (compare(offered, MIN_API_VERSION) < 0) {
            throw new RuntimeUnavailableException("engine API " + offered + " is older than " + MIN_API_VERSION,
                "upgrade the engine");
        }
        return new Ping(offered, libpod);
    }

    private static int compare(String left, String right) {
        return Integer.compare(Integer.parseInt(left.substring(2)), Integer.parseInt(right.substring(2)));
    }

    private URI versioned() {
        return URI.create(root + "/v" + apiVersion);
    }

    private DockerEngineApi build(URI base, Duration readTimeout) {
        return build(base, relay, readTimeout);
    }

    private static DockerEngineApi build(URI base, UnixSocketRelay relay, Duration readTimeout) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
            .baseUri(base)
            .connectTimeout(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (relay != null) {
            String secret = relay.secret();
            builder.register((ClientRequestFilter) request ->
                request.getHeaders().putSingle(UnixSocketRelay.SECRET_HEADER, secret));
        }
        return builder.build(DockerEngineApi.class);
    }

    DockerEngineApi api() {
        return api;
    }

    /** The same API with the long timeout a pull needs; built on first use. */
    synchronized DockerEngineApi pullApi() {
        if (pullApi == null) {
            pullApi = build(versioned(), PULL_TIMEOUT);
        }
        return pullApi;
    }

    String apiVersion() {
        return apiVersion;
    }

    /**
     * Whether the ping named the API version: only a Docker-compatible engine sends Api-Version, so
     * a further probe is needed only when it is missing.
     */
    boolean versionNamed() {
        return versionNamed;
    }

    EngineAddress address() {
        return address;
    }

    /** Whether the engine is podman's service, which serves its libpod API on the same socket. */
    boolean libpod() {
        return libpod;
    }

    @Override
    public void close() {
        if (relay != null) {
            relay.close();
        }
    }
}
