package dev.waitdaemon.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;

/**
 * Picks the runtime: the one CONTAINER_RUNTIME names, or under {@code auto} the first candidate that
 * answers. A failure names every candidate that was tried, with its reason and its fix.
 */
@ApplicationScoped
public class RuntimeDetection {

    private final List<RuntimeCandidate> candidates;

    @Inject
    public RuntimeDetection(@Any Instance<RuntimeCandidate> candidates) {
        this(candidates.stream().toList());
    }

    public RuntimeDetection(List<RuntimeCandidate> candidates) {
        this.candidates = candidates.stream().sorted(Comparator.comparingInt(RuntimeCandidate::order)).toList();
    }

    /** The runtime to use, and why it was chosen (for the log). */
    public record Selection(ContainerRuntime runtime, String why) {
    }

    public Selection select(Settings settings) throws NoUsableRuntimeException {
        boolean auto = settings.runtime() == RuntimeChoice.AUTO;
        List<RuntimeCandidate> eligible = candidates.stream()
            .filter(candidate -> auto || candidate.serves() == settings.runtime())
            .toList();
        List<NoUsableRuntimeException.Attempt> attempts = new ArrayList<>();
        for (RuntimeCandidate candidate : eligible) {
            try {
                ContainerRuntime runtime = candidate.connect(settings);
                String order = auto ? "first of the auto-detection order to answer" : "named by CONTAINER_RUNTIME";
                return new Selection(runtime, attempts.isEmpty() ? order : order + ", after " + attempts.stream()
                    .map(a -> a.candidate() + " (" + a.reason() + ")").collect(java.util.stream.Collectors.joining(", ")));
            } catch (RuntimeUnavailableException e) {
                attempts.add(new NoUsableRuntimeException.Attempt(candidate.name(), e.reason(), e.fix()));
            }
        }
        String summary = auto ? "no container runtime answered (CONTAINER_RUNTIME=auto)"
            : "CONTAINER_RUNTIME=" + settings.runtime().value() + " cannot be used";
        throw new NoUsableRuntimeException(summary, attempts, auto
            ? "mount the engine's socket into the action, run it with pid: host for the host's CLI, or set CONTAINER_RUNTIME to the engine this machine has"
            : "fix the reason above, or set CONTAINER_RUNTIME=auto to try every runtime");
    }
}
