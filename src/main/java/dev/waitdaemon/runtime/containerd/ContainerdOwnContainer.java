package dev.waitdaemon.runtime.containerd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.waitdaemon.runtime.EngineException;

/**
 * Finds this process's own container on containerd by what only that container has, never by a name: the
 * writable layer of its root (the upperdir of the overlay the mount table shows, which is the upperdir of
 * the container's active snapshot), or, where this process sees the host's pids, a task that runs this
 * process or one of its ancestors. A container that another one lends files to cannot pass for it.
 */
public final class ContainerdOwnContainer {

    private ContainerdOwnContainer() {
    }

    /**
     * The one container in the namespace that matches; empty when none does, or more than one (then
     * nothing is sure).
     *
     * @param ownLayer this process's root upperdir ({@code OwnContainer.writableLayer}), if its root is an overlay
     * @param ownPids this process and its ancestors as the host numbers them; empty where it cannot tell
     */
    public static Optional<ContainerdModel.Container> find(ContainerdApi api, Optional<String> ownLayer, Set<Long> ownPids) {
        List<ContainerdModel.Container> matches = new ArrayList<>();
        for (ContainerdModel.Container container : api.containers()) {
            try {
                if (holds(api, container, ownLayer, ownPids)) {
                    matches.add(container);
                }
            } catch (EngineException.NotFound goneMeanwhile) {
                // removed, or its task ended, since it was listed: not this one
            }
        }
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    private static boolean holds(ContainerdApi api, ContainerdModel.Container container, Optional<String> ownLayer, Set<Long> ownPids) {
        if (ownLayer.isPresent() && !container.snapshotKey().isEmpty()) {
            return upperdir(api.snapshotMounts(container.snapshotter(), container.snapshotKey())).equals(ownLayer);
        }
        return !ownPids.isEmpty() && api.taskPids(container.id()).stream().anyMatch(ownPids::contains);
    }

    static Optional<String> upperdir(List<ContainerdModel.Mount> mounts) {
        return mounts.stream().filter(mount -> mount.type().equals("overlay"))
            .flatMap(mount -> mount.options().stream())
            .filter(option -> option.startsWith("upperdir="))
            .map(option -> option.substring("upperdir=".length()))
            .findFirst();
    }
}
