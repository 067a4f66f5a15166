package dev.waitdaemon.runtime.docker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.RuntimeCandidate;
import dev.waitdaemon.runtime.RuntimeUnavailableException;
import dev.waitdaemon.runtime.docker.DockerModel.EngineVersion;

/** The Docker Engine API at DOCKER_HOST (default: the socket HookOS mounts into actions). */
@ApplicationScoped
public class DockerApiCandidate implements RuntimeCandidate {

    private static final Logger LOG = Logger.getLogger(DockerApiCandidate.class);

    private final ObjectMapper json;

    @Inject
    public DockerApiCandidate(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String name() {
        return "docker-api";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public RuntimeChoice serves() {
        return RuntimeChoice.DOCKER;
    }

    @Override
    public ContainerRuntime connect(Settings settings) throws RuntimeUnavailableException {
        DockerClients clients = DockerClients.connect(settings.dockerHost());
        try {
            EngineVersion version = clients.api().version();
            LOG.debugf("connected to %s: engine %s, API %s", clients.address(), version.version(), clients.apiVersion());
        } catch (RuntimeException e) {
            clients.close();
            throw new RuntimeUnavailableException(clients.address() + " answered the ping but not /version: "
                + e.getMessage(), "check that the socket belongs to a Docker-compatible engine");
        }
        return new DockerRuntime(name(), clients, json);
    }
}
