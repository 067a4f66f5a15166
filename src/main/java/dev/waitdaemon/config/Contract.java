package dev.waitdaemon.config;

import java.time.Duration;
import java.util.List;

/** Every environment variable name and default of the public contract, in one place. */
public final class Contract {

    public static final String IMAGE = "IMAGE";
    public static final String WAIT_SECONDS = "WAIT_SECONDS";
    public static final String CONTAINER_RUNTIME = "CONTAINER_RUNTIME";
    public static final String NERDCTL_NAMESPACE = "NERDCTL_NAMESPACE";
    public static final String CONTAINERD_NAMESPACE = "CONTAINERD_NAMESPACE";
    public static final String NERDCTL_HOST = "NERDCTL_HOST";
    public static final String NSENTER_HOST = "NSENTER_HOST";
    public static final String DOCKER_HOST = "DOCKER_HOST";
    /** Where the clone reports to Smee: udp://host:port or off (unset: the kernel command line's syslog_host). */
    public static final String SYSLOG = "WAITDAEMON_SYSLOG";
    /** containerd's socket, as ctr and containerd's Go client read it; unset: the socket's usual places. */
    public static final String CONTAINERD_ADDRESS = "CONTAINERD_ADDRESS";
    public static final String DOCKER_TLS_VERIFY = "DOCKER_TLS_VERIFY";
    public static final String DOCKER_TLS = "DOCKER_TLS";
    /** tink-agent's names for the credentials of IMAGE's registry; never passed on to the clone or target. */
    public static final String REGISTRY_USERNAME = "REGISTRY_USERNAME";
    public static final String REGISTRY_PASSWORD = "REGISTRY_PASSWORD";
    /** Docker's: the folder of the config.json to read credentials from (default /root/.docker). */
    public static final String DOCKER_CONFIG = "DOCKER_CONFIG";
    /** The process whose namespaces host-mode CLI calls enter; 1 (the host's init) unless a host refuses it. */
    public static final String NERDCTL_HOST_PID = "NERDCTL_HOST_PID";

    /*
     * The labels on every clone and target: what the phases, status and the dry run know each other's
     * containers by.
     */
    /** Which waitdaemon phase created a container: {@code clone} (Phase.CLONE's label) or {@code target}. */
    public static final String PHASE_LABEL = "waitdaemon.phase";
    /** The phase label's value on a target. */
    public static final String PHASE_LABEL_TARGET = "target";
    /** The id of the action container a clone or target descends from. */
    public static final String ACTION_LABEL = "waitdaemon.action";
    /** IMAGE as the operator gave it: the clone's own image is waitdaemon's, and {@code status} shows this. */
    public static final String IMAGE_LABEL = "waitdaemon.image";

    /** Internal marker on the clone's environment; removed from the target's. */
    public static final String PHASE_MARKER = "WAITDAEMON_PHASE";
    public static final String PHASE_MARKER_CLONE = "clone";

    /**
     * A dry run: everything the action checks, and a print-out of the clone and target it would create;
     * nothing is pulled or created. Never passed on to the clone or target.
     */
    public static final String DRY_RUN = "WAITDAEMON_DRY_RUN";

    /** How long the clone follows the target after starting it, to report how it ended. */
    public static final String TARGET_FOLLOW_SECONDS = "TARGET_FOLLOW_SECONDS";
    public static final Duration DEFAULT_TARGET_FOLLOW = Duration.ofMinutes(10);

    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    public static final long MAX_WAIT_SECONDS = 86_400;
    public static final String DEFAULT_NERDCTL_NAMESPACE = "tinkerbell";
    public static final boolean DEFAULT_NERDCTL_HOST = true;
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    public static final int DEFAULT_NERDCTL_HOST_PID = 1;
    /** Where podman's Docker-compatible service listens (podman system service). */
    public static final String PODMAN_SOCKET = "/run/podman/podman.sock";
    /** Where containerd listens, and where an action that mounts it has it. */
    public static final String CONTAINERD_SOCKET = "/run/containerd/containerd.sock";

    /**
     * Variables whose empty value is an error rather than "unset" (a template that renders
     * {@code WAIT_SECONDS: ""} has a bug the operator should hear about).
     */
    public static final List<String> MUST_NOT_BE_EMPTY = List.of(IMAGE, WAIT_SECONDS, NERDCTL_HOST_PID,
        TARGET_FOLLOW_SECONDS);

    /**
     * Variables whose empty value means their default, with a warning, as the Go waitdaemon reads them:
     * a template that renders an unset variable gives "". DOCKER_HOST is read so by the docker CLI too.
     */
    public static final List<String> EMPTY_MEANS_DEFAULT = List.of(CONTAINER_RUNTIME, NERDCTL_NAMESPACE,
        CONTAINERD_NAMESPACE, NERDCTL_HOST, NSENTER_HOST, DOCKER_HOST);

    /** How the Go waitdaemon's templates spell a boolean ("when set to true or 1"), and their opposites. */
    public static final List<String> TRUE_WORDS = List.of("true", "1", "yes", "on");
    public static final List<String> FALSE_WORDS = List.of("false", "0", "no", "off");

    private Contract() {
    }
}
