package dev.waitdaemon.runtime;

import java.util.List;
import java.util.Map;

/** What the phases need to know of an existing container, whatever engine reported it. */
public record ContainerInfo(
    String id,
    String imageId,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    Map<String, String> labels,
    boolean tty,
    HostSettings host) {

    public ContainerInfo {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
