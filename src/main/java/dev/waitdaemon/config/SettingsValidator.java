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

    /** True when IMAGE is given: the process then runs as an action and its arguments are the target's command. */
    public boolean actionRequested() {
        return config.image().isPresent() || config.waitdaemonPhase().isPresent();
    }

    public Settings validate() throws InvalidConfigurationException {
        List<String> problems = new ArrayList<>();
        for (String name : MUST_NOT_BE_EMPTY) {
            if (emptyVariables.contains(name)) {
                problems.add(name + " is set but empty: give it a value or remove it");
            }
        }

        ImageReference image = null;
        if (config.image().isEmpty()) {
            if (!emptyVariables.contains(IMAGE)) {
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

        RuntimeChoice runtime = RuntimeChoice.AUTO;
        if (config.containerRuntime().isPresent()) {
            Optional<RuntimeChoice> parsed = RuntimeChoice.parse(config.containerRuntime().get());
            if (parsed.isEmpty()) {
                problems.add(CONTAINER_RUNTIME + "=" + quoted(config.containerRuntime().get()) + " is unknown: use one of " + RuntimeChoice.validValues());
            } else {
                runtime = parsed.get();
            }
        }

        String namespace = preferNewName(NERDCTL_NAMESPACE, config.nerdctlNamespace(), CONTAINERD_NAMESPACE,
            config.containerdNamespace(), problems).orElse(DEFAULT_NERDCTL_NAMESPACE);
        if (!NAMESPACE.matcher(namespace).matches() || namespace.length() > MAX_NAMESPACE_LENGTH) {
            problems.add(NERDCTL_NAMESPACE + "=" + quoted(namespace) + " is not a containerd namespace: use letters, digits and . _ - (e.g. tinkerbell)");
        }

        boolean nerdctlHost = DEFAULT_NERDCTL_HOST;
        Optional<String> hostText = preferNewName(NERDCTL_HOST, config.nerdctlHost(), NSENTER_HOST, config.nsenterHost(), problems);
        if (hostText.isPresent()) {
            String value = hostText.get().trim().toLowerCase(Locale.ROOT);
            if (value.equals("true") || value.equals("false")) {
                nerdctlHost = Boolean.parseBoolean(value);
            } else {
                problems.add(NERDCTL_HOST + "=" + quoted(hostText.get()) + " is not a boolean: use true or false");
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

        if (config.dockerTlsVerify().isPresent()) {
            problems.add(DOCKER_TLS_VERIFY + " is set, but waitdaemon cannot speak TLS to the engine: mount the engine's unix socket instead, or unset it for plain tcp://");
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
        return new Settings(image, wait, runtime, namespace, nerdctlHost, hostPid, dockerHost, phase);
    }

    /** The current name wins; the older one is honoured alone; both with different values is an error. */
    private static Optional<String> preferNewName(String newName, Optional<String> newValue, String oldName,
                                                  Optional<String> oldValue, List<String> problems) {
        if (newValue.isPresent() && oldValue.isPresent() && !newValue.get().equals(oldValue.get())) {
            problems.add(newName + "=" + quoted(newValue.get()) + " and its older name " + oldName + "="
                + quoted(oldValue.get()) + " disagree: set only " + newName);
        }
        return newValue.or(() -> oldValue);
    }

    /** Values are echoed so the operator sees what arrived, trimmed so a hostile one cannot flood a log. */
    private static String quoted(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return "'" + shown.replace("\n", "\\n") + "'";
    }
}
