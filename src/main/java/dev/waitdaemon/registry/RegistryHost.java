package dev.waitdaemon.registry;

import java.util.Locale;
import java.util.Set;

import dev.waitdaemon.config.ImageReference;

/**
 * The registry an image reference names, normalised the way Docker matches credentials to it: a name
 * without a registry part, and docker.io's aliases, are Docker Hub, whose key in config.json is
 * {@code https://index.docker.io/v1/}; any other host keeps its port and drops a scheme and path.
 */
public record RegistryHost(String host) {

    public static final String DOCKER_HUB = "docker.io";
    /** How Docker keys Docker Hub's credentials in config.json. */
    public static final String DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";
    private static final Set<String> DOCKER_HUB_ALIASES = Set.of("docker.io", "index.docker.io",
        "registry-1.docker.io", "registry.hub.docker.com");

    public static RegistryHost of(ImageReference image) {
        String repository = image.repository();
        int slash = repository.indexOf('/');
        if (slash < 0) {
            return new RegistryHost(DOCKER_HUB);
        }
        String first = repository.substring(0, slash);
        boolean isHost = first.contains(".") || first.contains(":") || first.equals("localhost")
            || !first.equals(first.toLowerCase(Locale.ROOT));
        return isHost ? normalised(first) : new RegistryHost(DOCKER_HUB);
    }

    /** A config.json key or a server address: {@code https://host:port/v1/}, {@code host:port}, ... */
    public static RegistryHost normalised(String address) {
        String host = address.trim();
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int path = host.indexOf('/');
        if (path >= 0) {
            host = host.substring(0, path);
        }
        host = host.toLowerCase(Locale.ROOT);
        return new RegistryHost(DOCKER_HUB_ALIASES.contains(host) ? DOCKER_HUB : host);
    }

    public boolean isDockerHub() {
        return host.equals(DOCKER_HUB);
    }

    /** The server address an engine expects in X-Registry-Auth and a CLI in its config. */
    public String serverAddress() {
        return isDockerHub() ? DOCKER_HUB_CONFIG_KEY : host;
    }

    /** For messages. */
    public String display() {
        return host;
    }
}
