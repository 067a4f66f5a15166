package dev.waitdaemon.runtime.docker;

import java.nio.file.Path;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.EngineAddress;
import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.RuntimeCandidate;
import dev.waitdaemon.runtime.RuntimeUnavailableException;
import dev.waitdaemon.runtime.docker.DockerModel.EngineVersion;

/**
 * An engine that serves the Docker Engine API: usable when its ping names an API version, or, for an
 * engine too old to name one, when it also answers /version. One call fewer on every real engine
 * shortens the first fork.
 */
public abstract class EngineApiCandidate implements RuntimeCandidate {

    private static final Logger LOG = Logger.getLogger(EngineApiCandidate.class);

    private final ObjectMapper json;

    protected EngineApiCandidate(ObjectMapper json) {
        this.json = json;
    }

    protected abstract EngineAddress address(Settings settings);

    @Override
    public ContainerRuntime connect(Settings settings) throws RuntimeUnavailableException {
        DockerClients clients = DockerClients.connect(address(settings));
        if (clients.versionNamed()) {
            LOG.debugf("connected to %s: API %s", clients.address(), clients.apiVersion());
        } else {
            confirmByVersion(clients);
        }
        return new DockerRuntime(name(), clients, json);
    }

    /** An engine whose ping names no API version must answer /version to count as Docker-compatible. */
    private static void confirmByVersion(DockerClients clients) throws RuntimeUnavailableException {
        try {
            EngineVersion version = clients.api().version();
            LOG.debugf("connected to %s: engine %s, API %s", clients.address(), version.version(), clients.apiVersion());
        } catch (RuntimeException e) {
            clients.close();
            throw new RuntimeUnavailableException(clients.address() + " answered the ping but not /version: "
                + e.getMessage(), "check that the socket belongs to a Docker-compatible engine");
        }
    }

    /** HookOS: dockerd's socket, mounted into the action (or DOCKER_HOST). */
    @Singleton
    public static class Docker extends EngineApiCandidate {
        @Inject
        public Docker(ObjectMapper json) {
            super(json);
        }

        @Override public String name() { return "docker-api"; }
        @Override public int order() { return 10; }
        @Override public RuntimeChoice serves() { return RuntimeChoice.DOCKER; }
        @Override protected EngineAddress address(Settings settings) { return settings.dockerHost(); }
    }

    /** Podman's Docker-compatible service (podman system service), its socket mounted into the action. */
    @Singleton
    public static class Podman extends EngineApiCandidate {
        @Inject
        public Podman(ObjectMapper json) {
            super(json);
        }

        @Override public String name() { return "podman-api"; }
        @Override public int order() { return 20; }
        @Override public RuntimeChoice serves() { return RuntimeChoice.PODMAN; }
        @Override protected EngineAddress address(Settings settings) {
            return new EngineAddress.UnixSocket(Path.of(Contract.PODMAN_SOCKET));
        }
    }
}
