package dev.waitdaemon.config;

import static dev.waitdaemon.config.Contract.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns the raw environment into {@link Settings}, or lists every problem at once so an operator
 * fixes a template in one round. Nothing has been touched when this fails.
 */
@ApplicationScoped
public class SettingsValidator {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,18}");
    /** containerd's namespace rule. */
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*");
    private static final int MAX_NAMESPACE_LENGTH = 76;

    private final WaitdaemonConfig config;
    private final Set<String> emptyVariables;

    @Inject
    public SettingsValidator(WaitdaemonConfig config, EnvironmentFacts environment) {
        this(config, environment.emptyVariables());
    }

    public SettingsValidator(WaitdaemonConfig config, Set<String> emptyVariables) {
        this.config = config;
        this.emptyVariables = Set.copyOf(emptyVariables);
    }

    /**
     * True when IMAGE is given, even empty (that is a broken template, not a request for --help), or
     * for the clone: the process then runs as an action and its arguments are the target's command.
     */
    public boolean actionRequested() {
        return config.image().isPresent() || emptyVariables.contains(IMAGE) || config.waitdaemonPhase().isPresent();
    }

    /** The settings of an action: IMAGE is required. */
    public Settings validate() throws InvalidConfigurationException {
        return validate(true);
    }

    /**
     * The settings {@code status} reads (the runtime and how to reach it), checked as an action's are;
     * IMAGE is not needed, and {@link Settings#image()} is null.
     */
    public Settings validateForStatus() throws InvalidConfigurationException {
        return validate(false);
    }

    private Settings validate(boolean imageRequired) throws InvalidConfigurationException {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ScopedProblem> scoped = new ArrayList<>();
        for (String name : MUST_NOT_BE_EMPTY) {
            if (emptyVariables.contains(name)) {
                problems.add(name + " is set but empty: give it a value or remove it");
            }
        }
        for (String name : EMPTY_MEANS_DEFAULT) {
            if (emptyVariables.contains(name)) {
                warnings.add(name + " is set but empty: using its default, as the Go waitdaemon does");
            }
        }

        ImageReference image = null;
        if (config.image().isEmpty()) {
            if (imageRequired && !emptyVariables.contains(IMAGE)) {
                problems.add(IMAGE + " is not set: set it to the image to start after the wait, e.g. IMAGE=quay.io/tinkerbell/actions/reboot:latest");
            }
        } else {
            try {
                image = ImageReference.parse(config.image().get());
            } catch (IllegalArgumentException e) {
                problems.add(IMAGE + "=" + quoted(config.image().get()) + " is invalid (" + e.getMessage() + "): set a valid image reference");
            }
        }

        Duration wait = DEFAULT_WAIT;
        if (config.waitSeconds().isPresent()) {
            String text = config.waitSeconds().get().trim();
            if (!WHOLE_NUMBER.matcher(text).matches()) {
                problems.add(WAIT_SECONDS + "=" + quoted(config.waitSeconds().get()) + " is not a whole number of seconds: use 0 or more, e.g. WAIT_SECONDS=10");
            } else if (Long.parseLong(text) > MAX_WAIT_SECONDS) {
                problems.add(WAIT_SECONDS + "=" + text + " is more than a day: use at most " + MAX_WAIT_SECONDS);
            } else {
                wait = Duration.ofSeconds(Long.parseLong(text));
            }
        }

        Duration follow = DEFAULT_TARGET_FOLLOW;
        if (config.targetFollowSeconds().isPresent()) {
            String text = config.targetFollowSeconds().get().trim();
            if (!WHOLE_NUMBER.matcher(text).matches() || Long.parseLong(text) > MAX_WAIT_SECONDS) {
                problems.add(TARGET_FOLLOW_SECONDS + "=" + quoted(config.targetFollowSeconds().get())
                    + " is not a whole number of seconds up to a day: use e.g. TARGET_FOLLOW_SECONDS=600, or 0 not to follow");
            } else {
                follow = Duration.ofSeconds(Long.parseLong(text));
            }
        }

        RuntimeChoice runtime = RuntimeChoice.AUTO;
        if (config.containerRuntime().isPresent()) {
            Optional<RuntimeChoice> parsed = RuntimeChoice.parse(config.containerRuntime().get());
            if (parsed.isEmpty()) {
                problems.add(CONTAINER_RUNTIME + "=" + quoted(config.containerRuntime().get()) + " is unknown: use one of " + RuntimeChoice.validValues());
            } else {
                runtime = parsed.get();
            }
        }

        Optional<Given> namespaceGiven = preferNewName(new Given(NERDCTL_NAMESPACE, config.nerdctlNamespace()),
            new Given(CONTAINERD_NAMESPACE, config.containerdNamespace()), ScopedProblem.ReadBy.NERDCTL, scoped);
        String namespace = namespaceGiven.map(Given::text).orElse(DEFAULT_NERDCTL_NAMESPACE);
        if (!NAMESPACE.matcher(namespace).matches() || namespace.length() > MAX_NAMESPACE_LENGTH) {
            problems.add(namespaceGiven.map(Given::name).orElse(NERDCTL_NAMESPACE) + "=" + quoted(namespace)
                + " is not a containerd namespace: use letters, digits and . _ - (e.g. tinkerbell)");
        }

        boolean nerdctlHost = DEFAULT_NERDCTL_HOST;
        Optional<Given> hostGiven = preferNewName(new Given(NERDCTL_HOST, config.nerdctlHost()),
            new Given(NSENTER_HOST, config.nsenterHost()), ScopedProblem.ReadBy.ANY_CLI, scoped);
        if (hostGiven.isPresent()) {
            Optional<Boolean> parsed = parseBoolean(hostGiven.get().text());
            if (parsed.isPresent()) {
                nerdctlHost = parsed.get();
            } else {
                problems.add(notABoolean(hostGiven.get().name(), hostGiven.get().text()));
            }
        }

        int hostPid = DEFAULT_NERDCTL_HOST_PID;
        if (config.nerdctlHostPid().isPresent()) {
            String text = config.nerdctlHostPid().get().trim();
            if (!WHOLE_NUMBER.matcher(text).matches() || Long.parseLong(text) < 1 || Long.parseLong(text) > Integer.MAX_VALUE) {
                problems.add(NERDCTL_HOST_PID + "=" + quoted(config.nerdctlHostPid().get()) + " is not a process id: use a whole number from 1, e.g. 1");
            } else {
                hostPid = Integer.parseInt(text);
            }
        }

        EngineAddress dockerHost = null;
        try {
            dockerHost = EngineAddress.parse(config.dockerHost().orElse(DEFAULT_DOCKER_HOST));
        } catch (IllegalArgumentException e) {
            problems.add(DOCKER_HOST + "=" + quoted(config.dockerHost().orElse("")) + " is invalid: " + e.getMessage());
        }

        String containerdAddress = null;
        if (config.containerdAddress().isPresent()) {
            // containerd's clients take a path, or unix:// and a path.
            String text = config.containerdAddress().get().trim();
            String path = text.startsWith("unix://") ? text.substring("unix://".length()) : text;
            if (!path.startsWith("/") || path.contains("\0")) {
                problems.add(CONTAINERD_ADDRESS + "=" + quoted(config.containerdAddress().get())
                    + " is not a unix socket path: use an absolute path, e.g. /run/containerd/containerd.sock");
            } else {
                containerdAddress = path;
            }
        }

        // TLS settings matter only where waitdaemon itself dials DOCKER_HOST over TCP; elsewhere they are
        // the target's to read, and pass through untouched.
        boolean dialsTcp = dockerHost instanceof EngineAddress.Tcp
            && (runtime == RuntimeChoice.AUTO || runtime == RuntimeChoice.DOCKER);
        if (dialsTcp && (config.dockerTlsVerify().isPresent() || config.dockerTls().isPresent())) {
            String name = config.dockerTlsVerify().isPresent() ? DOCKER_TLS_VERIFY : DOCKER_TLS;
            problems.add(name + " is set with DOCKER_HOST=" + dockerHost + ", but waitdaemon cannot speak TLS to the engine: "
                + "mount the engine's unix socket instead, or unset " + name + " for plain tcp://");
        }

        // Names only: a value here may be a password.
        if (config.registryUsername().isPresent() != config.registryPassword().isPresent()) {
            String given = config.registryUsername().isPresent() ? REGISTRY_USERNAME : REGISTRY_PASSWORD;
            String missing = config.registryUsername().isPresent() ? REGISTRY_PASSWORD : REGISTRY_USERNAME;
            problems.add(given + " is set without " + missing + ": set both for IMAGE's registry, or neither");
        }

        boolean dryRun = false;
        if (config.waitdaemonDryRun().isPresent()) {
            Optional<Boolean> parsed = parseBoolean(config.waitdaemonDryRun().get());
            if (parsed.isPresent()) {
                dryRun = parsed.get();
            } else {
                problems.add(notABoolean(DRY_RUN, config.waitdaemonDryRun().get()));
            }
        }

        SyslogChoice syslog = new SyslogChoice.FromKernel();
        if (config.waitdaemonSyslog().isPresent()) {
            try {
                syslog = SyslogChoice.parse(config.waitdaemonSyslog().get());
            } catch (IllegalArgumentException e) {
                problems.add(SYSLOG + "=" + quoted(config.waitdaemonSyslog().get()) + " is not a syslog address: " + e.getMessage());
            }
        }

        Phase phase = Phase.FIRST_FORK;
        if (config.waitdaemonPhase().isPresent()) {
            if (config.waitdaemonPhase().get().equals(PHASE_MARKER_CLONE)) {
                phase = Phase.CLONE;
            } else {
                problems.add(PHASE_MARKER + " is internal to waitdaemon: remove it from the action's environment");
            }
        }

        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new Settings(image, wait, runtime, namespace, nerdctlHost, hostPid, dockerHost, containerdAddress, phase, follow, dryRun, syslog, warnings, scoped);
    }

    /** A variable as the operator set it: its name and value. */
    private record Given(String name, Optional<String> value) {
        String text() {
            return value.orElseThrow();
        }
    }

    /**
     * The current name wins; the older one is honoured alone. Both with different values is a problem
     * for the runtimes that read the setting only, so it is kept aside rather than failing now.
     */
    private static Optional<Given> preferNewName(Given current, Given older, ScopedProblem.ReadBy readBy,
                                                 List<ScopedProblem> scoped) {
        if (current.value().isPresent() && older.value().isPresent() && !current.text().equals(older.text())) {
            scoped.add(new ScopedProblem(current.name() + "=" + quoted(current.text()) + " and its older name "
                + older.name() + "=" + quoted(older.text()) + " disagree: set only " + current.name(), readBy));
        }
        return current.value().isPresent() ? Optional.of(current) : older.value().map(value -> older);
    }

    private static String notABoolean(String name, String value) {
        return name + "=" + quoted(value) + " is not a boolean: use true or false (1/0, yes/no and on/off work too)";
    }

    private static Optional<Boolean> parseBoolean(String text) {
        String word = text.trim().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(word)) {
            return Optional.of(true);
        }
        return FALSE_WORDS.contains(word) ? Optional.of(false) : Optional.empty();
    }

    /** Values are echoed so the operator sees what arrived, trimmed so a hostile one cannot flood a log. */
    private static String quoted(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return "'" + shown.replace("\n", "\\n") + "'";
    }
}
