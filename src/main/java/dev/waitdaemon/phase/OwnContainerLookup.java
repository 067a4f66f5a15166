package dev.waitdaemon.phase;

import java.util.List;

import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.OwnContainer;

/** Both phases start by inspecting the container they run in; a failure reads the same in both. */
public final class OwnContainerLookup {

    private OwnContainerLookup() {
    }

    static ContainerInfo inspect(OwnContainer own, ContainerRuntime runtime, String role, List<String> args)
        throws PhaseException {
        return own.inspectWith(runtime, args).orElseThrow(() -> notFound(own, role));
    }

    public static PhaseException notFound(OwnContainer own, String role) {
        return new PhaseException(
            "cannot find the " + role + "'s own container (tried " + own.triedSources() + ")",
            "run waitdaemon as a container of the engine it talks to; where nothing names the container"
                + " (CaptainOS with host networking), give the action pid: host", null);
    }
}
