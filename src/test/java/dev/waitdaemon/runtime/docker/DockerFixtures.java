package dev.waitdaemon.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.ContainerInfo;

/** Real inspect output of action containers (see src/test/resources/fixtures), as the runtime reads it. */
public final class DockerFixtures {

    public static final String DOCKER_ACTION = "docker-inspect-action.json";
    public static final String DOCKER_ACTION_HOST_NETWORK = "docker-inspect-action-hostnet.json";
    public static final String PODMAN_ACTION = "podman-compat-inspect-action.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerFixtures() {
    }

    /** The fixture as the API answers it: one object (`docker inspect` prints an array of them). */
    public static JsonNode tree(String fixture) {
        try (InputStream in = DockerFixtures.class.getResourceAsStream("/fixtures/" + fixture)) {
            JsonNode node = JSON.readTree(in);
            return node.isArray() ? node.get(0) : node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DockerModel.ContainerInspect inspect(String fixture) {
        try {
            return JSON.treeToValue(tree(fixture), DockerModel.ContainerInspect.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ContainerInfo containerInfo(String fixture) {
        return DockerMapping.toContainerInfo(tree(fixture));
    }
}
