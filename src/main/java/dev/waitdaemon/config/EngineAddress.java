package dev.waitdaemon.config;

import java.net.URI;
import java.nio.file.Path;

/** Where the Docker Engine API answers, parsed from DOCKER_HOST the way the docker CLI reads it. */
public sealed interface EngineAddress {

    record UnixSocket(Path path) implements EngineAddress {
        @Override
        public String toString() {
            return "unix://" + path;
        }
    }

    record Tcp(String host, int port) implements EngineAddress {
        @Override
        public String toString() {
            return "tcp://" + host + ":" + port;
        }
    }

    static EngineAddress parse(String text) throws IllegalArgumentException {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: use unix:///path/to/docker.sock or tcp://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "unix":
                if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    throw new IllegalArgumentException("a unix address needs an absolute path: unix:///var/run/docker.sock");
                }
                return new UnixSocket(Path.of(uri.getPath()));
            case "tcp":
                if (uri.getHost() == null || uri.getPort() < 1) {
                    throw new IllegalArgumentException("a tcp address needs a host and a port: tcp://127.0.0.1:2375");
                }
                return new Tcp(uri.getHost(), uri.getPort());
            default:
                throw new IllegalArgumentException("scheme '" + scheme + "' is not supported: use unix:///path or tcp://host:port");
        }
    }
}
