package dev.waitdaemon.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.Settings;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ProcessFacts;
import dev.waitdaemon.runtime.RuntimeCandidate;
import dev.waitdaemon.runtime.RuntimeUnavailableException;

/**
 * A CLI as a runtime: usable when {@code <cli> version} answers within a few seconds, run the way the
 * settings say (behind nsenter in host mode, or inside this container).
 */
public abstract class CliCandidate implements RuntimeCandidate {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final CliDialect dialect;
    private final CommandRunner runner;
    private final ObjectMapper json;
    /** /proc, or a test's. */
    private final Path proc;

    protected CliCandidate(CliDialect dialect, CommandRunner runner, ObjectMapper json) {
        this(dialect, runner, json, Path.of("/proc"));
    }

    CliCandidate(CliDialect dialect, CommandRunner runner, ObjectMapper json, Path proc) {
        this.dialect = dialect;
        this.runner = runner;
        this.json = json;
        this.proc = proc;
    }

    @Override
    public String name() {
        return dialect.executable() + "-cli";
    }

    @Override
    public ContainerRuntime connect(Settings settings) throws RuntimeUnavailableException {
        CliInvocation invocation = CliInvocation.of(dialect, settings);
        if (invocation.hostMode()) {
            requireHostProcess(settings.nerdctlHostPid());
        }
        CommandRunner.Result result;
        try {
            result = runner.run(invocation.argv(List.of("version")), PROBE_TIMEOUT);
        } catch (CommandRunner.CommandTimedOutException e) {
            throw new RuntimeUnavailableException(e.getMessage(), "check that the engine behind " + dialect.executable()
                + (invocation.hostMode() ? " on the host" : "") + " answers: `" + dialect.executable() + " version` hung");
        } catch (CommandRunner.CommandFailedException e) {
            throw new RuntimeUnavailableException(e.getMessage(), invocation.hostMode()
                ? "the image must contain nsenter; check that NERDCTL_HOST_PID names a live host process"
                : "mount " + dialect.executable() + " into the action, or set NERDCTL_HOST=true to use the host's");
        }
        if (!result.succeeded()) {
            String said = result.stderr().strip().lines().reduce((first, second) -> second).orElse("exit code " + result.exitCode());
            throw new RuntimeUnavailableException("`" + invocation.describe(List.of("version")) + "` failed: " + said,
                invocation.hostMode()
                    ? "install " + dialect.executable() + " on the host, and run the action privileged with pid: host"
                    : "mount " + dialect.executable() + " and its engine's socket into the action, or set NERDCTL_HOST=true");
        }
        return new CliRuntime(invocation, runner, json);
    }

    /**
     * nsenter needs the host process in sight: the action must share the host's pid namespace. Without
     * pid: host the pid names a process of this container's own (PID 1 is its first process): entering
     * it would run the CLI in here, and the operator would read "install it on the host" for a missing
     * pid: host. Such a process shares this one's mount namespace while this one is in a pid namespace
     * of its own; the host's init or a helper process on the host does not.
     */
    private void requireHostProcess(int pid) throws RuntimeUnavailableException {
        Path target = proc.resolve(Integer.toString(pid)).resolve("ns").resolve("mnt");
        Path targetMounts;
        try {
            targetMounts = Files.readSymbolicLink(target);
        } catch (NoSuchFileException e) {
            throw new RuntimeUnavailableException("host process " + pid + " is not visible (no " + target + ")",
                "run the action with pid: host");
        } catch (IOException | SecurityException e) {
            throw new RuntimeUnavailableException("cannot open the namespaces of process " + pid + " (" + e.getMessage() + ")",
                "run the action privileged with pid: host, or set NERDCTL_HOST_PID to a host process that can be entered");
        }
        Path self = proc.resolve("self");
        ProcessFacts facts = ProcessFacts.of(self);
        boolean ownPidNamespace = !facts.inHostPidNamespace(facts.status());
        boolean sameMounts = readLink(self.resolve("ns").resolve("mnt")).filter(targetMounts::equals).isPresent();
        if (ownPidNamespace && sameMounts) {
            throw new RuntimeUnavailableException("process " + pid + " is this container's own, not the host's: the action"
                + " is not in the host's pid namespace", "run the action with pid: host");
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> readLink(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
