package dev.waitdaemon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.quarkus.picocli.runtime.annotations.TopCommand;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import dev.waitdaemon.status.StatusCommand;

/**
 * The command line outside of an action (IMAGE unset): {@code --help} and {@code --version}. Inside an
 * action {@link WaitdaemonMain} never lets picocli see the arguments, since they are the target's.
 */
@Command(name = "waitdaemon", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false, subcommands = StatusCommand.class,
    description = {
        "A Tinkerbell action that reports success at once, then starts IMAGE",
        "after a wait: for reboot and kexec actions, which would otherwise kill",
        "the machine before the agent reports them. Configured by environment",
        "variables; the arguments are the target's command, passed verbatim." },
    footerHeading = "%nEnvironment:%n",
    footer = {
        "  IMAGE              image to start after the wait (required)",
        "  WAIT_SECONDS       seconds to wait after the action exits (default 10)",
        "  CONTAINER_RUNTIME  auto (default), docker, nerdctl, containerd (= nerdctl),",
        "                     podman",
        "  NERDCTL_NAMESPACE  containerd namespace (default tinkerbell)",
        "                     older name: CONTAINERD_NAMESPACE",
        "  NERDCTL_HOST       run CLI runtimes in the host's namespaces (default true;",
        "                     true/1/yes/on or false/0/no/off)",
        "                     older name: NSENTER_HOST",
        "  NERDCTL_HOST_PID   host process nsenter enters (default 1)",
        "  TARGET_FOLLOW_SECONDS  how long the clone follows the target to log its",
        "                     end (default 600; 0 not at all)",
        "  DOCKER_HOST        unix:///path or tcp://host:port",
        "                     (default unix:///var/run/docker.sock)",
        "  WAITDAEMON_DRY_RUN true: check everything, print the clone and target it",
        "                     would create, create nothing (default false)",
        "",
        "An empty CONTAINER_RUNTIME, NERDCTL_NAMESPACE or NERDCTL_HOST means its default.",
        "",
        "Exit codes: 0 ok, 1 first fork failed, 2 clone failed,",
        "            3 invalid configuration, 4 clone stopped during its wait,",
        "            12 no usable container runtime." })
@TopCommand
@Dependent
public class WaitdaemonCommand implements Callable<Integer> {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the target's command (its Cmd)")
    List<String> command = new ArrayList<>();

    private final ActionRunner runner;

    @Inject
    public WaitdaemonCommand(ActionRunner runner) {
        this.runner = runner;
    }

    @Override
    public Integer call() {
        // Without IMAGE this reports the missing configuration the way an action would.
        return runner.run(command);
    }
}
