package dev.waitdaemon.runtime.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.ScopedProblem;
import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.ContainerStatus;
import dev.waitdaemon.runtime.ContainerSummary;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.EngineTimes;
import dev.waitdaemon.runtime.ImageInfo;

/** The runtime seam over a CLI with docker's syntax (nerdctl, docker, podman), one process per call. */
final class CliRuntime implements ContainerRuntime {

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(15);

    private final CliInvocation invocation;
    private final CommandRunner runner;
    private final ObjectMapper json;

    CliRuntime(CliInvocation invocation, CommandRunner runner, ObjectMapper json) {
        this.invocation = invocation;
        this.runner = runner;
        this.json = json;
    }

    @Override
    public String name() {
        return invocation.dialect().executable() + "-cli";
    }

    @Override
    public boolean reads(ScopedProblem.ReadBy settings) {
        return settings == ScopedProblem.ReadBy.ANY_CLI || invocation.dialect() == CliDialect.NERDCTL;
    }

    @Override
    public Optional<ImageInfo> inspectImage(String image) {
        return inspect(List.of("image", "inspect", "--", image))
            .map(images -> CliInspectParser.image(CliInspectParser.first(images)));
    }

    @Override
    public void pull(ImageReference image, Optional<RegistryCredentials> credentials) {
        List<String> pull = List.of("pull", "--quiet", "--", image.canonical());
        if (credentials.isEmpty()) {
            succeed(pull, PULL_TIMEOUT);
            return;
        }
        // The credentials go to the CLI in a file of their own (never the host's config, never an
        // argument), removed right after the pull.
        try (PrivateFile file = PrivateFile.write("config.json", credentials.get().dockerConfigJson(), invocation.hostMode())) {
            switch (invocation.dialect()) {
                case DOCKER -> succeed(concat(List.of("--config", file.folderForCli()), pull), PULL_TIMEOUT);
                case PODMAN -> succeed(List.of("pull", "--quiet", "--authfile", file.fileForCli(), "--", image.canonical()),
                    PULL_TIMEOUT);
                case NERDCTL -> succeedWithEnvironment(Map.of("DOCKER_CONFIG", file.folderForCli()), pull, PULL_TIMEOUT);
            }
        } catch (IOException e) {
            throw new EngineException("cannot write the credentials for " + name() + " to a file: " + e.getMessage(), e);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Override
    public ContainerInfo inspectContainer(String id) {
        JsonNode container = CliInspectParser.first(inspectContainers(List.of(id)));
        if (container.isMissingNode()) {
            throw new EngineException.NotFound("No such container: " + id);
        }
        return CliInspectParser.container(container);
    }

    @Override
    public List<String> cannotCarry(ContainerSpec spec) {
        List<String> problems = new ArrayList<>(CliArguments.envFileProblems(invocation.dialect(), spec.env()));
        problems.addAll(CliArguments.mountProblems(invocation.dialect(), spec));
        return problems;
    }

    @Override
    public List<String> uncarried(ContainerSpec spec) {
        List<String> names = new ArrayList<>(CliSettingFlags.of(spec.inherited(), spec.host()).uncarried());
        names.addAll(CliArguments.mountsUncarried(invocation.dialect(), spec));
        return names;
    }

    @Override
    public String create(ContainerSpec spec) {
        // The environment goes in a file: an --env argument would show every value in the host's ps.
        try (PrivateFile envFile = PrivateFile.write("env", CliArguments.envFile(invocation.dialect(), spec.env()),
            invocation.hostMode())) {
            return lastLine(succeed(CliArguments.create(invocation.dialect(), spec, entrypointOption(spec), envFile.fileForCli()), CALL_TIMEOUT).stdout());
        } catch (IOException e) {
            throw new EngineException("cannot write the environment for " + name() + " to a file: " + e.getMessage(), e);
        }
    }

    /** podman's init, as its API runtime does it (see DockerRuntime); docker and nerdctl have no such step. */
    @Override
    public void prepareStart(String id) {
        if (invocation.dialect() == CliDialect.PODMAN) {
            succeed(List.of("init", "--", id), CALL_TIMEOUT);
        }
    }

    @Override
    public void startCreated(String id) {
        succeed(List.of("start", "--", id), CALL_TIMEOUT);
    }

    /**
     * The CLIs take --entrypoint as one string. An entrypoint equal to the image's own is left out
     * (the usual case: the clone runs waitdaemon's image as it is); another one must be one word.
     */
    private String entrypointOption(ContainerSpec spec) {
        if (spec.entrypoint() == null) {
            return null;
        }
        List<String> own = inspectImage(spec.image()).map(ImageInfo::entrypoint).orElse(null);
        if (Objects.equals(own, spec.entrypoint()) || spec.entrypoint().isEmpty() && own == null) {
            return null;
        }
        if (spec.entrypoint().size() == 1) {
            return spec.entrypoint().get(0);
        }
        throw new EngineException(0, name() + " cannot set the entrypoint " + spec.entrypoint()
            + ": its --entrypoint takes one word; use the image's own entrypoint or the Docker API");
    }

    @Override
    public boolean isRunning(String id) {
        try {
            return inspectContainers(List.of(id)).path(0).path("State").path("Running").asBoolean(false);
        } catch (EngineException.NotFound gone) {
            return false;
        }
    }

    @Override
    public Optional<Instant> exitedAt(String id) {
        Optional<JsonNode> found = inspect(List.of("container", "inspect", "--", id));
        if (found.isPresent()) {
            JsonNode state = CliInspectParser.first(found.get()).path("State");
            return state.path("Running").asBoolean(false) ? Optional.empty()
                : EngineTimes.parse(state.path("FinishedAt").asText(null));
        }
        return invocation.dialect().exitEventName().flatMap(event -> exitEvent(id, event));
    }

    @Override
    public boolean recordsExitTimes() {
        return invocation.dialect().exitEventName().isPresent();
    }

    /** A removed container's exit from the events the engine keeps; best effort, like the API's. */
    private Optional<Instant> exitEvent(String id, String event) {
        long now = Instant.now().getEpochSecond();
        // until lies a second ahead: podman leaves out events of the current second.
        List<String> args = List.of("events", "--since", Long.toString(now - EngineTimes.EXIT_EVENT_LOOKBACK.toSeconds()),
            "--until", Long.toString(now + 1), "--filter", "container=" + id, "--filter", "event=" + event,
            "--format", "{{json .}}");
        CommandRunner.Result result = call(args, CALL_TIMEOUT);
        if (!result.succeeded()) {
            return Optional.empty();
        }
        return result.stdout().lines().filter(line -> !line.isBlank()).map(this::parse)
            .map(EngineTimes::ofEvent).flatMap(Optional::stream).findFirst();
    }

    @Override
    public Optional<Integer> exitCode(String id) {
        JsonNode container = CliInspectParser.first(inspectContainers(List.of(id)));
        return Optional.of(container)
            .filter(found -> !found.isMissingNode() && !found.path("State").path("Running").asBoolean(false))
            .filter(found -> found.path("State").path("ExitCode").canConvertToInt())
            .map(found -> found.path("State").path("ExitCode").asInt());
    }

    @Override
    public List<String> lastOutput(String id, int lines) {
        CommandRunner.Result result = succeed(List.of("logs", "--tail", Integer.toString(lines), "--", id), CALL_TIMEOUT);
        List<String> output = new ArrayList<>(result.stdout().lines().toList());
        output.addAll(result.stderr().lines().toList());
        return output;
    }

    @Override
    public List<ContainerSummary> listByLabel(String label, String value) {
        String ids = succeed(List.of("ps", "--all", "--quiet", "--no-trunc", "--filter", "label=" + label + "=" + value),
            CALL_TIMEOUT).stdout();
        List<String> found = ids.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
        if (found.isEmpty()) {
            return List.of();
        }
        List<ContainerSummary> summaries = new ArrayList<>();
        inspectContainers(found).forEach(container -> summaries.add(CliInspectParser.summary(container)));
        summaries.sort(Comparator.comparing(ContainerSummary::created).reversed());
        return summaries;
    }

    @Override
    public List<ContainerStatus> running() {
        return statuses(List.of("ps", "--quiet", "--no-trunc"));
    }

    @Override
    public List<ContainerStatus> labelled(String label) {
        return statuses(List.of("ps", "--all", "--quiet", "--no-trunc", "--filter", "label=" + label));
    }

    /** Listed by ps, then inspected together: ps's own columns differ between the CLIs. */
    private List<ContainerStatus> statuses(List<String> ps) {
        List<String> ids = succeed(ps, CALL_TIMEOUT).stdout().lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<ContainerStatus> found = new ArrayList<>();
        // One gone between ps and inspect makes the whole inspect fail on some CLIs: then one by one.
        Optional<JsonNode> all = inspect(concat(List.of("container", "inspect", "--"), ids));
        if (all.isPresent()) {
            all.get().forEach(container -> found.add(CliInspectParser.status(container)));
            return found;
        }
        for (String id : ids) {
            inspect(List.of("container", "inspect", "--", id))
                .ifPresent(container -> found.add(CliInspectParser.status(CliInspectParser.first(container))));
        }
        return found;
    }

    private JsonNode inspectContainers(List<String> ids) {
        List<String> args = new ArrayList<>(List.of("container", "inspect", "--"));
        args.addAll(ids);
        return inspect(args).orElseThrow(() -> new EngineException.NotFound("No such container: " + String.join(" ", ids)));
    }

    /** The JSON an inspect printed; empty when the CLI said the object does not exist. */
    private Optional<JsonNode> inspect(List<String> args) {
        CommandRunner.Result result = call(args, CALL_TIMEOUT);
        if (result.succeeded()) {
            JsonNode found = parse(result.stdout());
            // An empty array is nothing found, not an object without fields (nerdctl exits 0 with "[]").
            return found.isArray() && found.isEmpty() ? Optional.empty() : Optional.of(found);
        }
        if (invocation.dialect().saysNotFound(result.exitCode(), result.stderr())) {
            return Optional.empty();
        }
        throw failure(args, result);
    }

    @Override
    public void remove(String id) {
        succeed(List.of("rm", "--force", "--", id), CALL_TIMEOUT);
    }

    private CommandRunner.Result succeed(List<String> args, Duration timeout) {
        return succeedWithEnvironment(Map.of(), args, timeout);
    }

    /** {@code environment} is set for the CLI only (by env(1), inside nsenter in host mode). */
    private CommandRunner.Result succeedWithEnvironment(Map<String, String> environment, List<String> args, Duration timeout) {
        CommandRunner.Result result = call(invocation.argv(environment, args), args, timeout);
        if (!result.succeeded()) {
            throw failure(args, result);
        }
        return result;
    }

    private CommandRunner.Result call(List<String> args, Duration timeout) {
        return call(invocation.argv(args), args, timeout);
    }

    private CommandRunner.Result call(List<String> argv, List<String> args, Duration timeout) {
        try {
            return runner.run(argv, timeout);
        } catch (CommandRunner.CommandFailedException e) {
            throw new EngineException(invocation.describe(args) + ": " + e.getMessage(), e);
        }
    }

    /** The CLI's failure in its own words: the line that says why, not a hint or a warning beside it. */
    private EngineException failure(List<String> args, CommandRunner.Result result) {
        String reason = new CliStderr(invocation.dialect(), result.stderr()).reason();
        String message = reason.isEmpty() ? "exit code " + result.exitCode() : reason;
        return new EngineException(0, message + " (" + invocation.describe(args) + ")");
    }

    private JsonNode parse(String stdout) {
        try {
            return json.readTree(stdout);
        } catch (IOException e) {
            throw new EngineException(0, name() + " printed something other than JSON: " + e.getMessage());
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    @Override
    public void close() {
        // nothing held between calls
    }
}
