package dev.waitdaemon.runtime;

import java.util.List;

/** A local image: its id and the environment it sets by default. */
public record ImageInfo(String id, List<String> env) {

    public ImageInfo {
        env = env == null ? List.of() : List.copyOf(env);
    }
}
