package dev.waitdaemon.runtime;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A local image: its id, the environment it sets by default, its entrypoint (null: none), the
 * {@code repository@digest} references the engine knows it by, and its whole {@code Config} as the
 * engine reported it (in the Docker API's shape; empty where unknown): what a container of it has by
 * default, which nobody wrote into the action.
 */
public record ImageInfo(String id, List<String> env, List<String> entrypoint, List<String> repoDigests,
                        InheritedSettings defaults) {

    public ImageInfo {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null || entrypoint.isEmpty() ? null : List.copyOf(entrypoint);
        repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
        defaults = defaults == null ? InheritedSettings.none() : defaults;
    }

    public ImageInfo(String id, List<String> env, List<String> entrypoint, List<String> repoDigests) {
        this(id, env, entrypoint, repoDigests, InheritedSettings.none());
    }

    public ImageInfo(String id, List<String> env) {
        this(id, env, null, null);
    }

    /** The image's Config field of that name, or null. */
    public JsonNode defaultOf(String field) {
        return defaults.config().get(field);
    }

    /** Whether the engine knows this image by {@code digest} (sha256:…), from whichever repository. */
    public boolean hasDigest(String digest) {
        return repoDigests.stream().anyMatch(reference -> reference.endsWith("@" + digest));
    }
}
