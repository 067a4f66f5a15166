package dev.waitdaemon.phase;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.OwnContainer;

/** Both phases start by inspecting the container they run in; a failure reads the same in both. */
final class OwnContainerLookup {

    private OwnContainerLookup() {
    }

    static ContainerInfo inspect(OwnContainer own, ContainerRuntime runtime, String role) throws PhaseException {
        return own.inspectWith(runtime).orElseThrow(() -> new PhaseException(
            "cannot find the " + role + "'s own container (tried " + own.candidateIds() + ")",
            "run waitdaemon as a container of the engine it talks to", null));
    }
}
