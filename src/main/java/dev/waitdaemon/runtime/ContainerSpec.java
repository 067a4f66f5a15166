package dev.waitdaemon.runtime;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container to create. {@code entrypoint} null means the image's own; an empty {@code cmd} means the
 * image's default command. {@code inherited} is the rest of the container it copies, which the fields
 * here are laid over; {@code origin}, where the runtime clones in its own terms, is the engine's record of
 * that container, to which the runtime applies these fields.
 */
public record ContainerSpec(
    String image,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    Map<String, String> labels,
    boolean tty,
    HostSettings host,
    InheritedSettings inherited,
    EngineRecord origin) {

    public ContainerSpec {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        // sorted, so that argument vectors and requests come out the same every time
        labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        inherited = inherited == null ? InheritedSettings.none() : inherited;
    }

    /** A container that copies {@code inherited} of an engine in Docker's shape. */
    public ContainerSpec(String image, List<String> entrypoint, List<String> cmd, List<String> env,
                         Map<String, String> labels, boolean tty, HostSettings host, InheritedSettings inherited) {
        this(image, entrypoint, cmd, env, labels, tty, host, inherited, null);
    }

    /** A container that copies nothing beyond these fields. */
    public ContainerSpec(String image, List<String> entrypoint, List<String> cmd, List<String> env,
                         Map<String, String> labels, boolean tty, HostSettings host) {
        this(image, entrypoint, cmd, env, labels, tty, host, InheritedSettings.none());
    }
}
