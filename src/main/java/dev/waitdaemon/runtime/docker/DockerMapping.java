package dev.waitdaemon.runtime.docker;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.ContainerStatus;
import dev.waitdaemon.runtime.EngineTimes;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.HostSettings.DeviceMapping;
import dev.waitdaemon.runtime.HostSettings.MountSpec;
import dev.waitdaemon.runtime.docker.DockerModel.BindOptions;
import dev.waitdaemon.runtime.docker.DockerModel.ContainerConfig;
import dev.waitdaemon.runtime.docker.DockerModel.ContainerInspect;
import dev.waitdaemon.runtime.docker.DockerModel.ContainerState;
import dev.waitdaemon.runtime.docker.DockerModel.CreateContainerRequest;
import dev.waitdaemon.runtime.docker.DockerModel.Device;
import dev.waitdaemon.runtime.docker.DockerModel.HostConfig;
import dev.waitdaemon.runtime.docker.DockerModel.Mount;

/** Translates between Docker's payloads and the runtime-neutral records. Pure, so fixtures test it. */
final class DockerMapping {

    private DockerMapping() {
    }

    static ContainerInfo toContainerInfo(ContainerInspect inspect) {
        ContainerConfig config = inspect.config() == null
            ? new ContainerConfig(null, null, null, null, null, null) : inspect.config();
        HostConfig host = inspect.hostConfig() == null
            ? new HostConfig(null, null, null, null, null, null, null, null, null, null, null) : inspect.hostConfig();
        return new ContainerInfo(inspect.id(), inspect.image(), config.entrypoint(), config.cmd(), config.env(),
            config.labels(), Boolean.TRUE.equals(config.tty()), toHostSettings(host));
    }

    static ContainerStatus toStatus(ContainerInspect inspect) {
        ContainerConfig config = inspect.config();
        ContainerState state = inspect.state() == null
            ? new ContainerState(null, null, null, null, null, null) : inspect.state();
        boolean running = Boolean.TRUE.equals(state.running());
        // An exit code means something only for a container that ran and finished.
        Optional<Instant> finished = running ? Optional.empty() : EngineTimes.parse(state.finishedAt());
        return new ContainerStatus(inspect.id(), config == null ? inspect.image() : config.image(),
            state.status() == null ? (running ? "running" : "unknown") : state.status(),
            running && state.pid() != null ? state.pid() : 0,
            finished.isPresent() ? Optional.ofNullable(state.exitCode()) : Optional.empty(),
            EngineTimes.parse(inspect.created()), EngineTimes.parse(state.startedAt()), finished,
            config == null ? null : config.labels());
    }

    static HostSettings toHostSettings(HostConfig host) {
        return new HostSettings(Boolean.TRUE.equals(host.privileged()), blankToNull(host.pidMode()),
            blankToNull(host.networkMode()), blankToNull(host.ipcMode()), blankToNull(host.utsMode()), host.binds(),
            map(host.mounts(), mount -> new MountSpec(mount.type(), mount.source(), mount.target(),
                Boolean.TRUE.equals(mount.readOnly()),
                mount.bindOptions() == null ? null : mount.bindOptions().propagation())),
            host.capAdd(), host.capDrop(),
            map(host.devices(), device -> new DeviceMapping(device.pathOnHost(), device.pathInContainer(),
                device.cgroupPermissions())),
            host.securityOpt());
    }

    static CreateContainerRequest toCreateRequest(ContainerSpec spec) {
        HostSettings host = spec.host();
        HostConfig hostConfig = new HostConfig(host.privileged(), host.pidMode(), host.networkMode(), host.ipcMode(),
            host.utsMode(), emptyToNull(host.binds()),
            emptyToNull(map(host.mounts(), mount -> new Mount(mount.type(), mount.source(), mount.target(),
                mount.readOnly(), mount.propagation() == null ? null : new BindOptions(mount.propagation())))),
            emptyToNull(host.capAdd()), emptyToNull(host.capDrop()),
            emptyToNull(map(host.devices(), device -> new Device(device.pathOnHost(), device.pathInContainer(),
                device.cgroupPermissions()))),
            emptyToNull(host.securityOpt()));
        return new CreateContainerRequest(spec.image(), spec.entrypoint(), emptyToNull(spec.cmd()), spec.env(),
            spec.labels(), spec.tty(), hostConfig);
    }

    private static <A, B> List<B> map(List<A> values, Function<A, B> mapper) {
        return values == null ? List.of() : values.stream().map(mapper).toList();
    }

    private static <T> List<T> emptyToNull(List<T> values) {
        return values == null || values.isEmpty() ? null : values;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
