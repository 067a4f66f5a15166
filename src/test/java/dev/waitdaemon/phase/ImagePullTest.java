package dev.waitdaemon.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.registry.CredentialsFixture;
import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.RecordingRuntime;
import dev.waitdaemon.support.EventLog;

class ImagePullTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private final List<Duration> pauses = new ArrayList<>();
    private final ImagePull pull = new ImagePull(CredentialsFixture.none(), new EventLog(), pauses::add);

    /** An engine whose pulls fail with these messages, in turn, then succeed. */
    private static RecordingRuntime failingWith(String... messages) {
        return new RecordingRuntime("fake") {
            private int calls;

            @Override
            public void pull(ImageReference image, Optional<RegistryCredentials> credentials) {
                if (calls < messages.length) {
                    throw new EngineException(0, messages[calls++]);
                }
                super.pull(image, credentials);
            }
        };
    }

    @Test
    void aPresentImageIsNotPulledEvenWhenTheRegistryIsDown() throws Exception {
        RecordingRuntime runtime = failingWith("connection refused");
        runtime.images.put("r.example/reboot:1", new ImageInfo("sha256:t", List.of()));

        pull.ensure(ImageReference.parse("r.example/reboot:1"), runtime);

        assertThat(runtime.calls).noneMatch(call -> call.startsWith("pull"));
    }

    @Test
    void transientFailuresAreRetriedWithGrowingPauses() throws Exception {
        RecordingRuntime runtime = failingWith("connection refused", "503 Service Unavailable", "connection reset by peer");

        pull.ensure(ImageReference.parse("r.example/reboot:1"), runtime);

        assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(runtime.images).containsKey("r.example/reboot:1");
    }

    @Test
    void aRegistryThatStaysDownFailsAfterFiveAttemptsAndSaysSo() {
        RecordingRuntime runtime = failingWith("connection refused", "connection refused", "connection refused",
            "connection refused", "connection refused", "connection refused");

        PhaseException failure = catchThrowableOfType(PhaseException.class,
            () -> pull.ensure(ImageReference.parse("r.example/reboot:1"), runtime));

        assertThat(failure).hasMessage("IMAGE r.example/reboot:1 could not be pulled after 5 attempts: connection refused");
        assertThat(failure.fix()).contains("reaches r.example");
        assertThat(pauses).hasSize(4);
    }

    @Test
    void authenticationFailuresAreNotRetriedAndNameBothWaysToGiveCredentials() {
        RecordingRuntime runtime = failingWith("unauthorized: authentication required");

        PhaseException failure = catchThrowableOfType(PhaseException.class,
            () -> pull.ensure(ImageReference.parse("127.0.0.1:5056/private/reboot:1"), runtime));

        assertThat(failure).hasMessageContaining("127.0.0.1:5056 wants credentials and none were given");
        assertThat(failure.fix()).contains("REGISTRY_USERNAME and REGISTRY_PASSWORD", "/root/.docker/config.json",
            "for 127.0.0.1:5056");
        assertThat(pauses).isEmpty();
    }

    @Test
    void unknownImagesAreNotRetried() {
        RecordingRuntime runtime = failingWith("manifest unknown");

        PhaseException failure = catchThrowableOfType(PhaseException.class,
            () -> pull.ensure(ImageReference.parse("r.example/reboot:nope"), runtime));

        assertThat(failure).hasMessageContaining("r.example has no such image");
        assertThat(pauses).isEmpty();
    }

    @Test
    void aPinnedDigestMustBeTheOneTheEngineReports() {
        ImageReference pinned = ImageReference.parse("r.example/reboot@" + DIGEST);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.images.put(pinned.canonical(), new ImageInfo("sha256:t", List.of(), null,
            List.of("r.example/reboot@sha256:" + "b".repeat(64))));

        PhaseException failure = catchThrowableOfType(PhaseException.class, () -> pull.ensure(pinned, runtime));

        assertThat(failure).hasMessageStartingWith("the engine does not report the pinned digest " + DIGEST);
    }

    @Test
    void aPinnedDigestTheEngineReportsIsUsed() throws Exception {
        ImageReference pinned = ImageReference.parse("r.example/reboot@" + DIGEST);
        RecordingRuntime runtime = new RecordingRuntime("fake");
        runtime.images.put(pinned.canonical(), new ImageInfo("sha256:t", List.of(), null, List.of("r.example/reboot@" + DIGEST)));

        pull.ensure(pinned, runtime);
    }
}
