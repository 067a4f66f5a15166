package dev.waitdaemon.runtime.containerd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.Phase;
import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.runtime.RuntimeCandidate;
import dev.waitdaemon.runtime.RuntimeUnavailableException;

/**
 * containerd's own API (CaptainOS, where tink-agent runs actions on containerd directly). Its socket is
 * CONTAINERD_ADDRESS, else the one mounted at its usual place, else the machine's through PID 1's root,
 * which a privileged {@code pid: host} action reaches (checked on containerd 2.1.9), so that a template
 * needs no volume for it. Under auto-detection it counts only where this action's own container is in
 * its namespace: HookOS's LinuxKit runs a containerd of its own at the same place, while its actions are
 * Docker's.
 */
@Singleton
public class ContainerdCandidate implements RuntimeCandidate {

    /** The machine's root as a {@code pid: host} action sees it. */
    static final Path MACHINE_ROOT = Path.of("/proc/1/root");

    private final OwnContainer own;

    @Inject
    public ContainerdCandidate(OwnContainer own) {
        this.own = own;
    }

    @Override
    public String name() {
        return ContainerdRuntime.NAME;
    }

    /** After the mounted Docker and podman sockets, before the CLIs. */
    @Override
    public int order() {
        return 25;
    }

    @Override
    public RuntimeChoice serves() {
        return RuntimeChoice.CONTAINERD;
    }

    @Override
    public ContainerRuntime connect(Settings settings) throws RuntimeUnavailableException {
        Path socket = socket(settings);
        GrpcContainerdApi api = GrpcContainerdApi.open(socket, settings.nerdctlNamespace());
        ContainerdRuntime runtime = new ContainerdRuntime(api, settings.nerdctlNamespace(), machineRoot());
        try {
            api.version();
            if (settings.phase() == Phase.CLONE) {
                // As early as the clone can: the action may be exiting while the clone starts.
                runtime.watchExits(own.ownWritableLayer());
            }
            if (settings.runtime() == RuntimeChoice.AUTO && own.inspectWith(runtime, List.of()).isEmpty()) {
                throw new RuntimeUnavailableException("containerd answers at " + socket + ", but this action's container is not in its namespace "
                    + settings.nerdctlNamespace(), "set NERDCTL_NAMESPACE to tink-agent's namespace, or CONTAINER_RUNTIME to the engine that runs the action");
            }
            return runtime;
        } catch (EngineException e) {
            runtime.close();
            throw new RuntimeUnavailableException("containerd at " + socket + " does not answer: " + e.getMessage(),
                "check that the socket is containerd's and that the action runs privileged");
        } catch (RuntimeUnavailableException e) {
            runtime.close();
            throw e;
        }
    }

    static Path socket(Settings settings) {
        if (settings.containerdAddress() != null) {
            return Path.of(settings.containerdAddress());
        }
        Path mounted = Path.of(Contract.CONTAINERD_SOCKET);
        if (Files.exists(mounted)) {
            return mounted;
        }
        return MACHINE_ROOT.resolve(Contract.CONTAINERD_SOCKET.substring(1));
    }

    /** The machine's files, where PID 1 is the machine's init (pid: host) and its root can be read (privileged). */
    private Optional<Path> machineRoot() {
        boolean hostPid = own.inHostPidNamespace();
        return hostPid && Files.isDirectory(MACHINE_ROOT.resolve("var")) ? Optional.of(MACHINE_ROOT) : Optional.empty();
    }
}
