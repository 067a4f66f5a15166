package dev.waitdaemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @ParameterizedTest
    @CsvSource({
        "alpine, alpine, latest, alpine:latest",
        "alpine:3.20, alpine, 3.20, alpine:3.20",
        "quay.io/tinkerbell/actions/reboot:v1, quay.io/tinkerbell/actions/reboot, v1, quay.io/tinkerbell/actions/reboot:v1",
        "localhost:5000/foo/bar, localhost:5000/foo/bar, latest, localhost:5000/foo/bar:latest",
        "127.0.0.1:5000/a_b__c-d, 127.0.0.1:5000/a_b__c-d, latest, 127.0.0.1:5000/a_b__c-d:latest",
        "Registry.Example.com/x:1, Registry.Example.com/x, 1, Registry.Example.com/x:1",
        "local/busybox:test, local/busybox, test, local/busybox:test",
    })
    void parsesRepositoryAndTag(String text, String repository, String pullTag, String canonical) {
        ImageReference reference = ImageReference.parse(text);

        assertThat(reference.repository()).isEqualTo(repository);
        assertThat(reference.pullTag()).isEqualTo(pullTag);
        assertThat(reference.canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = { "alpine@", "alpine:3.20@" })
    void pullsByDigestWhenPinned(String prefix) {
        ImageReference reference = ImageReference.parse(prefix + DIGEST);

        assertThat(reference.repository()).isEqualTo("alpine");
        assertThat(reference.pullTag()).isEqualTo(DIGEST);
        assertThat(reference.canonical()).isEqualTo(prefix + DIGEST);
    }

    @ParameterizedTest
    @ValueSource(strings = { "-", "--privileged", "-alpine", "", "UPPER", "a b", "alpine:", ":tag", "a//b",
        "a/", "alpine:-tag", "alpine@sha256:abc", "alpine;rm -rf /", "$(reboot)", "a\nb" })
    void rejectsWhatIsNotAReference(String text) {
        assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "-v", "--rm" })
    void saysWhyALeadingDashIsRefused(String text) {
        assertThatThrownBy(() -> ImageReference.parse(text)).hasMessage("an image name cannot start with '-'");
    }

    /** As nerdctl and tink-agent store a pull in containerd, and as containerd's own clients resolve names. */
    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io/library/busybox:latest, docker.io/library/busybox",
        "busybox:1.36, docker.io/library/busybox:1.36, docker.io/library/busybox",
        "local/busybox:test, docker.io/local/busybox:test, docker.io/local/busybox",
        "docker.io/busybox:1, docker.io/library/busybox:1, docker.io/library/busybox",
        "index.docker.io/tinkerbell/waitdaemon, docker.io/tinkerbell/waitdaemon:latest, docker.io/tinkerbell/waitdaemon",
        "127.0.0.1:5155/x:y, 127.0.0.1:5155/x:y, 127.0.0.1:5155/x",
        "localhost/x:y, localhost/x:y, localhost/x",
        "quay.io/tinkerbell/waitdaemon:v1@sha256:0000000000000000000000000000000000000000000000000000000000000000, "
            + "quay.io/tinkerbell/waitdaemon:v1@sha256:0000000000000000000000000000000000000000000000000000000000000000, "
            + "quay.io/tinkerbell/waitdaemon" })
    void namesAreQualifiedAsContainerdKeepsThem(String text, String qualified, String repository) {
        ImageReference reference = ImageReference.parse(text);

        assertThat(reference.qualified()).isEqualTo(qualified);
        assertThat(reference.qualifiedRepository()).isEqualTo(repository);
    }
}
