package dev.waitdaemon.phase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.Phase;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.InheritedSettings;
import dev.waitdaemon.runtime.ContainerSummary;
import dev.waitdaemon.support.EnvEntries;

/**
 * What to create, decided only from what was inspected and the settings: no engine is touched here.
 */
public final class ContainerPlan {


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

    /*
     * What a clone or target never takes from the container it copies. Everything else of the inspected
     * Config and HostConfig is carried, so that a setting an engine adds needs no change here; the
     * fields the records hold (image, entrypoint, command, env, labels, tty, the host settings) are laid
     * over it by the runtime.
     */
    private static final Set<String> NEVER_INHERITED_CONFIG = Set.of(
        // waitdaemon's own image declares a port (Jib's default); without port bindings it says nothing.
        "ExposedPorts",
        // Docker 25+ fills it from the action's --mac-address: the clone starts while the action still runs,
        // and two containers with one MAC on one network break both.
        "MacAddress");
    private static final Set<String> NEVER_INHERITED_HOST_CONFIG = Set.of(
        // The clone must outlive the action (podman run --rm makes one), and the clone reads the target's
        // exit after it has ended.
        "AutoRemove",
        // A restarted clone would start a second target; a restarted target would reboot again.
        "RestartPolicy",
        // The action's file exists: the engine refuses to create a container over it.
        "ContainerIDFile",
        // The action still holds its published ports while the clone starts.
        "PortBindings", "PublishAllPorts");
    /** The engine's name for the container: its id's first 12 characters, or the host's with network: host. */
    private static final String HOSTNAME_FIELD = "Hostname";
    /** The names a container's own UTS namespace holds. */
    private static final Set<String> UTS_NAMES = Set.of(HOSTNAME_FIELD, "Domainname");
    /**
     * The target's own image decides these unless the operator gave them: the clone's value of each is
     * dropped where it is only waitdaemon's image's default (as the environment's defaults are).
     */
    private static final Set<String> IMAGE_DEFAULTS = Set.of("WorkingDir", "User", "Volumes", "StopSignal",
        "StopTimeout", "Healthcheck", "Shell", "OnBuild");

    private ContainerPlan() {
    }

    /**
     * The clone: the action itself (same image, entrypoint, command, env, host settings), marked as phase
     * two, with each of {@code credentialsFiles} (the registry credentials files there are in the action)
     * that a bind or mount carries masked by an empty file: the pull is done, and the target is any image.
     * The mount itself stays: a kexec target given / at /host still needs /host/boot.
     */
    public static ContainerSpec clone(ContainerInfo action, ImageReference image, List<String> credentialsFiles) {
        List<String> env = new ArrayList<>();
        for (String entry : action.env()) {
            String name = EnvEntries.nameOf(entry);
            if (!name.equals(Contract.PHASE_MARKER) && !name.equals(HOSTNAME) && !FIRST_FORK_ONLY.contains(name)) {
                env.add(entry);
            }
        }
        env.add(Contract.PHASE_MARKER + "=" + Contract.PHASE_MARKER_CLONE);
        HostSettings host = action.host().withEachMountOnce();
        for (String file : credentialsMasks(action, credentialsFiles)) {
            host = host.withMaskOver(file);
        }
        return new ContainerSpec(action.imageId(), action.entrypoint(), action.cmd(), env,
            labels(Phase.CLONE.label(), action.id(), image), action.tty(), host, inheritable(action, Set.of()), action.origin());
    }

    /** The credentials files a bind or mount of the action carries: masked in the clone and the target. */
    public static List<String> credentialsMasks(ContainerInfo action, List<String> credentialsFiles) {
        return credentialsFiles.stream().filter(file -> action.host().mountCarrying(file).isPresent()).distinct().toList();
    }

    /**
     * The target: IMAGE with its own entrypoint, the action's command verbatim as Cmd, and the action's
     * environment without PATH (the target image has its own), without waitdaemon's marker and without
     * the defaults of waitdaemon's image (which the operator never wrote), nor the engine's HOSTNAME.
     */
    public static ContainerSpec target(ContainerInfo clone, ImageReference image, ImageInfo waitdaemonImage) {
        Set<String> imageDefaults = new HashSet<>(waitdaemonImage.env());
        List<String> env = new ArrayList<>();
        for (String entry : clone.env()) {
            String name = EnvEntries.nameOf(entry);
            if (!name.equals(PATH) && !name.equals(HOSTNAME) && !name.equals(Contract.PHASE_MARKER)
                && !FIRST_FORK_ONLY.contains(name) && !imageDefaults.contains(entry)) {
                env.add(entry);
            }
        }
        String actionId = clone.labels().getOrDefault(Contract.ACTION_LABEL, "");
        Set<String> defaultsOfWaitdaemonsImage = new HashSet<>();
        JsonNode cloneConfig = clone.inherited().config();
        for (String field : IMAGE_DEFAULTS) {
            JsonNode value = cloneConfig.get(field);
            if (value != null && value.equals(waitdaemonImage.defaultOf(field))) {
                defaultsOfWaitdaemonsImage.add(field);
            }
        }
        return new ContainerSpec(image.canonical(), null, clone.cmd(), env, labels(Contract.PHASE_LABEL_TARGET, actionId, image),
            clone.tty(), clone.host().withEachMountOnce(), inheritable(clone, defaultsOfWaitdaemonsImage), clone.origin());
    }

    /** What {@code container} passes on of its inspected settings, less {@code alsoLeftOut} of its Config. */
    private static InheritedSettings inheritable(ContainerInfo container, Set<String> alsoLeftOut) {
        Set<String> config = new HashSet<>(NEVER_INHERITED_CONFIG);
        config.addAll(alsoLeftOut);
        JsonNode hostname = container.inherited().config().get(HOSTNAME_FIELD);
        // One the operator gave (--hostname) is carried; the engine's own is the copied container's, and one
        // in another container's network namespace is that container's (Docker refuses it). Under host
        // networking the engine reports the host's name: carried, it names the target the same.
        String networkMode = container.host().networkMode();
        if (hostname != null && (container.id().startsWith(hostname.asText())
            || networkMode != null && networkMode.startsWith("container:"))) {
            config.add(HOSTNAME_FIELD);
        }
        // With the host's UTS namespace the name is the host's. Docker fills Hostname with it and then
        // refuses it back ("conflicting options: hostname and the UTS mode"); nerdctl 2.2.1 refuses either
        // ("cannot set --hostname and/or --domainname with --uts=host"), and so does podman.
        if ("host".equals(container.host().utsMode())) {
            config.addAll(UTS_NAMES);
        }
        return container.inherited().without(config, NEVER_INHERITED_HOST_CONFIG);
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
        labels.put(Contract.PHASE_LABEL, phase);
        labels.put(Contract.ACTION_LABEL, actionId);
        labels.put(Contract.IMAGE_LABEL, image.canonical());
        return labels;
    }
}
