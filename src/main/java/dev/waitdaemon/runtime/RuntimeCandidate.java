package dev.waitdaemon.runtime;

import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;

/**
 * One way of reaching a container engine. Candidates are CDI beans; {@link RuntimeDetection} asks them
 * in {@link #order()} and keeps every refusal for the final message.
 */
public interface RuntimeCandidate {

    /** Name for logs and messages, e.g. {@code docker-api}. */
    String name();

    /** Lower runs first under CONTAINER_RUNTIME=auto. */
    int order();

    /** The explicit CONTAINER_RUNTIME value this candidate serves. */
    RuntimeChoice serves();

    /**
     * Checks that the engine is there and answers (with a short timeout), and returns a connected runtime.
     *
     * @throws RuntimeUnavailableException with the reason and the fix, when it is not usable
     */
    ContainerRuntime connect(Settings settings) throws RuntimeUnavailableException;
}
