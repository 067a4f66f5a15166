package dev.waitdaemon.runtime;

import java.util.List;

/** A local image: its id, the environment it sets by default and its entrypoint (null: none). */
public record ImageInfo(String id, List<String> env, List<String> entrypoint) {

    public ImageInfo {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null || entrypoint.isEmpty() ? null : List.copyOf(entrypoint);
    }

    public ImageInfo(String id, List<String> env) {
        this(id, env, null);
    }
}
