package dev.waitdaemon.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;

/**
 * Picks the runtime: the one CONTAINER_RUNTIME names, or under {@code auto} the first candidate that
 * answers. A failure names every candidate that was tried, with its reason and its fix.
 */
@ApplicationScoped
public class RuntimeDetection {

    private static final Logger LOG = Logger.getLogger(RuntimeDetection.class);

    private final List<RuntimeCandidate> candidates;

    @Inject
    public RuntimeDetection(@Any Instance<RuntimeCandidate> candidates) {
        this(candidates.stream().toList());
    }

    public RuntimeDetection(List<RuntimeCandidate> candidates) {
        this.candidates = candidates.stream().sorted(Comparator.comparingInt(RuntimeCandidate::order)).toList();
    }

    public ContainerRuntime select(Settings settings) throws NoUsableRuntimeException {
        boolean auto = settings.runtime() == RuntimeChoice.AUTO;
        List<RuntimeCandidate> eligible = candidates.stream()
            .filter(candidate -> auto || candidate.serves() == settings.runtime())
            .toList();
        List<NoUsableRuntimeException.Attempt> attempts = new ArrayList<>();
        for (RuntimeCandidate candidate : eligible) {
            try {
                ContainerRuntime runtime = candidate.connect(settings);
                LOG.infof("runtime %s selected: %s", candidate.name(), attempts.isEmpty() ? "it answered first"
                    : "it answered after " + attempts.stream().map(a -> a.candidate() + " (" + a.reason() + ")").toList());
                return runtime;
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
