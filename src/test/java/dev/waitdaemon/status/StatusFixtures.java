package dev.waitdaemon.status;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.waitdaemon.runtime.ContainerStatus;

/** Clones and targets as an engine reports them, labelled as waitdaemon labels them. */
final class StatusFixtures {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00.250Z");

    private StatusFixtures() {
    }

    static ContainerStatus cloneOf(String id, String action, int createdSecond, String state, Integer exitCode) {
        return container(id, "sha256:waitdaemon", "clone", action, createdSecond, state, exitCode);
    }

    static ContainerStatus targetOf(String id, String action, int createdSecond, String state, Integer exitCode) {
        return container(id, "local/reboot:v1", "target", action, createdSecond, state, exitCode);
    }

    private static ContainerStatus container(String id, String image, String phase, String action, int createdSecond,
                                             String state, Integer exitCode) {
        Instant created = T0.plusSeconds(createdSecond);
        boolean ran = !state.equals("created");
        return new ContainerStatus(id, image, state, state.equals("running") ? 4242 : 0, Optional.ofNullable(exitCode),
            Optional.of(created), ran ? Optional.of(created.plusSeconds(1)) : Optional.empty(),
            exitCode == null ? Optional.empty() : Optional.of(created.plusSeconds(5)),
            Map.of("waitdaemon.phase", phase, "waitdaemon.action", action, "waitdaemon.image", "local/reboot:v1"));
    }
}
