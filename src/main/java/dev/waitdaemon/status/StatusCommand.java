package dev.waitdaemon.status;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Unremovable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.waitdaemon.ExitCode;
import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.InvalidConfigurationException;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.config.SettingsValidator;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.NoUsableRuntimeException;
import dev.waitdaemon.runtime.RuntimeDetection;

/**
 * {@code waitdaemon status}: the runs on this engine, from the labels of their clones and targets,
 * reached the way an action reaches the engine (CONTAINER_RUNTIME and the same detection).
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Lists waitdaemon's runs on this engine, newest first.",
        "For each: the action's id, the clone's id and state, the target's id, state and",
        "exit code (or why it never started), IMAGE and the times. Reaches the engine as",
        "an action does:",
        "CONTAINER_RUNTIME, DOCKER_HOST, NERDCTL_* and the same detection. For example:",
        "  docker run --rm -v /var/run/docker.sock:/var/run/docker.sock IMAGE status" },
    footer = {
        "",
        "Exit codes: 0 listed (also when there is no run), 1 the engine failed,",
        "            3 invalid configuration or option, 12 no usable container runtime." })
// Reached only through picocli's factory, which CDI's unused-bean removal cannot see.
@Unremovable
@Dependent
public class StatusCommand implements Callable<Integer> {

    enum Format { table, json }

    @Option(names = { "-o", "--output" }, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default: aligned columns for people) or json (a JSON array, one object per run)")
    Format output;

    private final SettingsValidator validator;
    private final RuntimeDetection detection;
    private final ObjectMapper json;
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Inject
    public StatusCommand(SettingsValidator validator, RuntimeDetection detection, ObjectMapper json) {
        this.validator = validator;
        this.detection = detection;
        this.json = json;
    }

    /** Failures are {@link dev.waitdaemon.Failure}'s to map, in picocli's execution-exception handler. */
    @Override
    public Integer call() throws InvalidConfigurationException, NoUsableRuntimeException {
        Settings settings = validator.validateForStatus();
        try (ContainerRuntime runtime = detection.select(settings).runtime()) {
            List<String> problems = settings.problemsFor(runtime::reads);
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            List<RunStatus> runs = RunStatus.of(runtime.labelled(Contract.PHASE_LABEL));
            if (output == Format.json) {
                out.println(StatusOutput.json(runs, json));
            } else {
                StatusOutput.table(runs).forEach(out::println);
            }
            return ExitCode.OK.code();
        }
    }
}
