package dev.waitdaemon.phase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.Phase;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.ContainerSummary;

/**
 * What to create, decided only from what was inspected and the settings: no engine is touched here.
 */
public final class ContainerPlan {

    /** Which waitdaemon phase created a container: {@code clone} or {@code target}. */
    public static final String PHASE_LABEL = "waitdaemon.phase";
    /** The id of the action container a clone or target descends from. */
    public static final String ACTION_LABEL = "waitdaemon.action";
    /** IMAGE as the operator gave it: the clone's own image is waitdaemon's, and {@code status} shows this. */
    public static final String IMAGE_LABEL = "waitdaemon.image";
    public static final String TARGET = "target";

    private static final String PATH = "PATH";
    /** Set by the engine in each container (podman even reports it as part of the env): never copied. */
    private static final String HOSTNAME = "HOSTNAME";
    /**
     * Never passed on: the registry credentials and where a credentials file is (needed by the first
     * fork's pull only: the image is there by the time the clone runs) and the dry-run switch (a clone
     * is never planned as a dry run).
     */
    private static final Set<String> FIRST_FORK_ONLY = Set.of(Contract.REGISTRY_USERNAME, Contract.REGISTRY_PASSWORD,
        Contract.DOCKER_CONFIG, Contract.DRY_RUN);

    private ContainerPlan() {
    }

    /**
     * The clone: the action itself (same image, entrypoint, command, env, host settings), marked as phase
     * two, less the bind or mount that carried {@code credentialsFile} (the registry credentials file
     * waitdaemon reads, when one is there): the pull is done, and the target is any image.
     */
    public static ContainerSpec clone(ContainerInfo action, ImageReference image, Optional<String> credentialsFile) {
        List<String> env = new ArrayList<>();
        for (String entry : action.env()) {
            String name = nameOf(entry);
            if (!name.equals(Contract.PHASE_MARKER) && !name.equals(HOSTNAME) && !FIRST_FORK_ONLY.contains(name)) {
                env.add(entry);
            }
        }
        env.add(Contract.PHASE_MARKER + "=" + Contract.PHASE_MARKER_CLONE);
        HostSettings host = action.host().withEachMountOnce();
        Optional<String> carrier = credentialsMount(action, credentialsFile);
        if (carrier.isPresent()) {
            host = host.withoutMountAt(carrier.get());
        }
        return new ContainerSpec(action.imageId(), action.entrypoint(), action.cmd(), env,
            labels(Phase.CLONE.label(), action.id(), image), action.tty(), host);
    }

    /** Where in the action the bind or mount that carries the credentials file is mounted, if one does. */
    public static Optional<String> credentialsMount(ContainerInfo action, Optional<String> credentialsFile) {
        return credentialsFile.flatMap(action.host()::mountCarrying);
    }

    /**
     * The target: IMAGE with its own entrypoint, the action's command verbatim as Cmd, and the action's
     * environment without PATH (the target image has its own), without waitdaemon's marker and without
     * the defaults of waitdaemon's image (which the operator never wrote), nor the engine's HOSTNAME.
     */
    public static ContainerSpec target(ContainerInfo clone, ImageReference image, List<String> waitdaemonImageEnv) {
        Set<String> imageDefaults = new HashSet<>(waitdaemonImageEnv);
        List<String> env = new ArrayList<>();
        for (String entry : clone.env()) {
            String name = nameOf(entry);
            if (!name.equals(PATH) && !name.equals(HOSTNAME) && !name.equals(Contract.PHASE_MARKER)
                && !FIRST_FORK_ONLY.contains(name) && !imageDefaults.contains(entry)) {
                env.add(entry);
            }
        }
        String actionId = clone.labels().getOrDefault(ACTION_LABEL, "");
        return new ContainerSpec(image.canonical(), null, clone.cmd(), env, labels(TARGET, actionId, image), clone.tty(),
            clone.host().withEachMountOnce());
    }

    /**
     * Clones of earlier runs that have exited, beyond the newest {@code keep} (kept for {@code docker logs}).
     * {@code clones} is newest first; running clones are never chosen.
     */
    public static List<String> staleClones(List<ContainerSummary> clones, int keep) {
        return clones.stream().filter(clone -> !clone.running()).skip(keep).map(ContainerSummary::id).toList();
    }

    private static Map<String, String> labels(String phase, String actionId, ImageReference image) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PHASE_LABEL, phase);
        labels.put(ACTION_LABEL, actionId);
        labels.put(IMAGE_LABEL, image.canonical());
        return labels;
    }

    private static String nameOf(String envEntry) {
        int equals = envEntry.indexOf('=');
        return equals < 0 ? envEntry : envEntry.substring(0, equals);
    }
}
