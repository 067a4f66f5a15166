package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.runtime.EngineException;

/**
 * The nerdctl runtime against nerdctl 2.2.1's real answers (fixtures/nerdctl-2.2.1): its errors are
 * logrus lines whose Go-quoted message says {@code 1 errors:\nno such container: x} with a backslash
 * and an n, which a word boundary after the quote never finds (CaptainOS: every action failed).
 */
class NerdctlCapturesTest {

    /** The captures in which nerdctl said the container or image does not exist, and nothing else. */
    private static final Set<String> NOT_FOUND = Set.of("absent-container-inspect-short", "absent-container-inspect-full",
        "absent-image-inspect", "absent-logs", "absent-start", "action-one-absent-inspect", "action-removed-inspect",
        "nerdctl-removed-inspect");

    static List<NerdctlCapture> captures() {
        return NerdctlCapture.piped();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void aMissingObjectIsTakenForOneAndNothingElseIs(NerdctlCapture capture) {
        assertThat(CliDialect.NERDCTL.saysNotFound(capture.exit(), capture.stderr()))
            .as(capture.stderr()).isEqualTo(NOT_FOUND.contains(capture.name()));
    }

    @Test
    void everyCaseTheListNamesWasCaptured() {
        assertThat(captures()).extracting(NerdctlCapture::name).containsAll(NOT_FOUND);
    }

    /** The reason is the last fatal line's message, unquoted: not a warning, info or hint line before it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "absent-container-inspect-short | no such container: 0123456789ab",
        "absent-logs | no such container 0123456789ab",
        "create-uts-host-hostname | failed to verify networking settings: conflicting options: cannot set --hostname and/or --domainname with --uts=host",
        "pull-refused | failed to resolve reference \"127.0.0.1:1/absent:1\": failed to do request: Head \"http://127.0.0.1:1/v2/absent/manifests/1\": dial tcp 127.0.0.1:1: connect: connection refused",
        "create-mount-bind-nonexistent-start | failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: failed to fulfil mount request: open /nonexistent: no such file or directory",
        "action-logs | failed to load logging config: failed to read log config file \"/var/lib/nerdctl/1935db59/containers/tinkerbell/38073071932c28fbf5aa7df47b95afd656d4d5e4e557242d1a902530bff427aa/log-config.json\": filesystem error; open /var/lib/nerdctl/1935db59/containers/tinkerbell/38073071932c28fbf5aa7df47b95afd656d4d5e4e557242d1a902530bff427aa/log-config.json: no such file or directory" })
    void aFailureIsReportedInTheWordsOfItsFatalLine(String name, String reason) {
        NerdctlCapture capture = NerdctlCapture.of(name);
        assertThat(new CliStderr(CliDialect.NERDCTL, capture.stderr()).reason()).isEqualTo(reason);
    }

    @Test
    void aContainerThatIsNotThereIsNotFound() {
        assertThatThrownBy(() -> answering("absent-container-inspect-short").inspectContainer("0123456789ab"))
            .isInstanceOf(EngineException.NotFound.class);
        assertThat(answering("absent-container-inspect-full")
            .isRunning("61e403aa97249797963ae7725663c6aa21d8b6b2853f783a192e1e29dd232894")).isFalse();
        assertThatThrownBy(() -> answering("action-removed-inspect")
            .exitCode("38073071932c28fbf5aa7df47b95afd656d4d5e4e557242d1a902530bff427aa"))
            .isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void anImageThatIsNotThereIsAbsentAndOneThatIsIsRead() {
        assertThat(answering("absent-image-inspect").inspectImage("absent/image:1")).isEmpty();
        assertThat(answering("image-inspect").inspectImage("bars/busybox:test")).isPresent();
    }

    @Test
    void removingAContainerThatIsGoneSucceedsAsNerdctlDoes() {
        answering("absent-rm-force").remove("0123456789ab");
        answering("nerdctl-rm-force").remove("795e1e375e82350e76710f1e4de6999179478c266fbeaa17e60e24711cc5d8a2");
    }

    @Test
    void aRefusedPullFailsWithWhatNerdctlSaidAndTheCallNamedWithoutItsArguments() {
        assertThatThrownBy(() -> answering("pull-refused").pull(ImageReference.parse("127.0.0.1:1/absent:1"), Optional.empty()))
            .isInstanceOf(EngineException.class).isNotInstanceOf(EngineException.NotFound.class)
            .hasMessage("failed to resolve reference \"127.0.0.1:1/absent:1\": failed to do request: Head "
                + "\"http://127.0.0.1:1/v2/absent/manifests/1\": dial tcp 127.0.0.1:1: connect: connection refused"
                + " (nerdctl pull (3 more arguments))");
    }

    @Test
    void anExitedActionCreatedByCtrIsReadWithItsExitCode() {
        var runtime = answering("action-short-exited-inspect");
        String id = "89cc97c81e403d28115c7e0e4d432294a837ead98025f60b7f5829a1ed962c92";
        assertThat(runtime.isRunning(id)).isFalse();
        assertThat(answering("action-short-exited-inspect").exitCode(id)).contains(3);
    }

    /** A nerdctl runtime in namespace tinkerbell whose CLI answers each call with the named capture. */
    private static CliRuntime answering(String... names) {
        List<NerdctlCapture> answers = new ArrayList<>();
        for (String name : names) {
            answers.add(NerdctlCapture.of(name));
        }
        CommandRunner runner = (argv, timeout) -> {
            List<String> args = argv.subList(1, argv.size());
            assertThat(argv.get(0)).isEqualTo("nerdctl");
            return answers.stream().filter(capture -> capture.argv().equals(args)).findFirst()
                .orElseThrow(() -> new AssertionError("no capture of nerdctl " + args + " among " + answers))
                .result();
        };
        var settings = SettingsFixture.settings().runtime(RuntimeChoice.NERDCTL).namespace("tinkerbell").hostMode(false, 1).build();
        return new CliRuntime(CliInvocation.of(CliDialect.NERDCTL, settings), runner, new ObjectMapper());
    }
}
