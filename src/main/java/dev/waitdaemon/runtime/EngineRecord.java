package dev.waitdaemon.runtime;

/**
 * An engine's own record of a container, for a runtime that makes a clone or a target in its own terms
 * (containerd: the container's OCI spec). The phases decide what changes (the fields of
 * {@link ContainerSpec}) and pass this on untouched; the runtime that made it applies the changes to it.
 * Runtimes whose engine takes Docker's shape have none: they carry {@link InheritedSettings}.
 */
public interface EngineRecord {
}
