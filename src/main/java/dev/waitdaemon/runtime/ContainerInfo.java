package dev.waitdaemon.runtime;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the phases need to know of an existing container, whatever engine reported it.
 * {@code unreported} names what the engine's inspect output does not carry (nerdctl leaves out env,
 * command and privileges of containers); {@link OwnContainer} fills those from the process itself.
 * {@code inherited} is everything else the engine reported, for a clone or target to carry.
 * {@code writableLayer} is where the engine keeps the container's writable layer (its inspect's
 * GraphDriver.Data.UpperDir), which the container's own mount table shows as its root's upperdir; null
 * where the engine reports none. It tells a container from another that lent it files (--network container:X).
 */
public record ContainerInfo(
    String id,
    String imageId,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    Map<String, String> labels,
    boolean tty,
    HostSettings host,
    Set<Unreported> unreported,
    InheritedSettings inherited,
    String writableLayer,
    EngineRecord origin) {

    public enum Unreported { ENV, COMMAND, PRIVILEGED, PID_MODE, NETWORK_MODE }

    public ContainerInfo {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        unreported = unreported == null || unreported.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(unreported));
        inherited = inherited == null ? InheritedSettings.none() : inherited;
        writableLayer = writableLayer == null || writableLayer.isBlank() ? null : writableLayer;
    }

    /** A container of an engine in Docker's shape: no record of its own. */
    public ContainerInfo(String id, String imageId, List<String> entrypoint, List<String> cmd, List<String> env,
                         Map<String, String> labels, boolean tty, HostSettings host, Set<Unreported> unreported,
                         InheritedSettings inherited, String writableLayer) {
        this(id, imageId, entrypoint, cmd, env, labels, tty, host, unreported, inherited, writableLayer, null);
    }

    /** A container whose writable layer the engine did not report. */
    public ContainerInfo(String id, String imageId, List<String> entrypoint, List<String> cmd, List<String> env,
                         Map<String, String> labels, boolean tty, HostSettings host, Set<Unreported> unreported,
                         InheritedSettings inherited) {
        this(id, imageId, entrypoint, cmd, env, labels, tty, host, unreported, inherited, null);
    }

    /** A container of which the engine reported only what the records hold. */
    public ContainerInfo(String id, String imageId, List<String> entrypoint, List<String> cmd, List<String> env,
                         Map<String, String> labels, boolean tty, HostSettings host, Set<Unreported> unreported) {
        this(id, imageId, entrypoint, cmd, env, labels, tty, host, unreported, InheritedSettings.none(), null);
    }

    /** A container whose inspect output carried everything. */
    public ContainerInfo(String id, String imageId, List<String> entrypoint, List<String> cmd, List<String> env,
                         Map<String, String> labels, boolean tty, HostSettings host) {
        this(id, imageId, entrypoint, cmd, env, labels, tty, host, Set.of(), InheritedSettings.none(), null);
    }
}
