package dev.waitdaemon.runtime;

import java.util.List;

/**
 * A local image: its id, the environment it sets by default, its entrypoint (null: none), and the
 * {@code repository@digest} references the engine knows it by.
 */
public record ImageInfo(String id, List<String> env, List<String> entrypoint, List<String> repoDigests) {

    public ImageInfo {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null || entrypoint.isEmpty() ? null : List.copyOf(entrypoint);
        repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
    }

    public ImageInfo(String id, List<String> env) {
        this(id, env, null, null);
    }

    /** Whether the engine knows this image by {@code digest} (sha256:…), from whichever repository. */
    public boolean hasDigest(String digest) {
        return repoDigests.stream().anyMatch(reference -> reference.endsWith("@" + digest));
    }
}
