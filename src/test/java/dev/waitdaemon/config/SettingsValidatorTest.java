package dev.waitdaemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsValidatorTest {

    private static Settings valid(String... env) throws InvalidConfigurationException {
        FakeConfig config = FakeConfig.with(env);
        return new SettingsValidator(config, config.emptyNames()).validate();
    }

    private static InvalidConfigurationException invalid(String... env) {
        FakeConfig config = FakeConfig.with(env);
        return catchThrowableOfType(InvalidConfigurationException.class,
            () -> new SettingsValidator(config, config.emptyNames()).validate());
    }

    @Test
    void defaultsWhenOnlyImageIsSet() throws Exception {
        Settings settings = valid("IMAGE", "quay.io/tinkerbell/actions/reboot:latest");

        assertThat(settings.image().canonical()).isEqualTo("quay.io/tinkerbell/actions/reboot:latest");
        assertThat(settings.waitTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.runtime()).isEqualTo(RuntimeChoice.AUTO);
        assertThat(settings.nerdctlNamespace()).isEqualTo("tinkerbell");
        assertThat(settings.nerdctlHost()).isTrue();
        assertThat(settings.dockerHost()).isEqualTo(new EngineAddress.UnixSocket(Path.of("/var/run/docker.sock")));
        assertThat(settings.phase()).isEqualTo(Phase.FIRST_FORK);
    }

    @Nested
    class Image {

        @Test
        void isRequired() {
            assertThat(invalid().problems()).singleElement().asString().startsWith("IMAGE is not set: set it");
        }

        @Test
        void mustNotBeEmpty() {
            assertThat(invalid("IMAGE", "").problems()).containsExactly("IMAGE is set but empty: give it a value or remove it");
        }

        @ParameterizedTest
        @ValueSource(strings = { "--privileged", "-v", "Upper/Case", "name with space", "a:b:c", "x@sha256:short" })
        void mustBeAReference(String image) {
            assertThat(invalid("IMAGE", image).problems()).singleElement().asString()
                .startsWith("IMAGE='" + image + "' is invalid (").endsWith("set a valid image reference");
        }
    }

    @Nested
    class WaitSeconds {

        @ParameterizedTest
        @ValueSource(strings = { "abc", "-1", "1.5", "10s", " ", "0x10", "١٢" })
        void mustBeAWholeNumber(String value) {
            assertThat(invalid("IMAGE", "alpine", "WAIT_SECONDS", value).problems()).singleElement().asString()
                .isEqualTo("WAIT_SECONDS='" + value + "' is not a whole number of seconds: use 0 or more, e.g. WAIT_SECONDS=10");
        }

        @Test
        void emptyIsAnErrorNotTheDefault() {
            assertThat(invalid("IMAGE", "alpine", "WAIT_SECONDS", "").problems())
                .containsExactly("WAIT_SECONDS is set but empty: give it a value or remove it");
        }

        @Test
        void isBoundedToADay() {
            assertThat(invalid("IMAGE", "alpine", "WAIT_SECONDS", "86401").problems()).singleElement().asString()
                .contains("more than a day");
            assertThat(invalid("IMAGE", "alpine", "WAIT_SECONDS", "99999999999999999999").problems()).hasSize(1);
        }

        @ParameterizedTest
        @CsvSource({ "0,0", "3,3", "86400,86400", "007,7" })
        void acceptsWholeSeconds(String value, long seconds) throws Exception {
            assertThat(valid("IMAGE", "alpine", "WAIT_SECONDS", value).waitTime()).isEqualTo(Duration.ofSeconds(seconds));
        }
    }

    @Nested
    class ContainerRuntime {

        @ParameterizedTest
        @CsvSource({ "docker,DOCKER", "nerdctl,NERDCTL", "containerd,CONTAINERD", "podman,PODMAN", "auto,AUTO", "Docker,DOCKER" })
        void acceptsTheKnownValues(String value, RuntimeChoice expected) throws Exception {
            assertThat(valid("IMAGE", "alpine", "CONTAINER_RUNTIME", value).runtime()).isEqualTo(expected);
        }

        @Test
        void listsTheValidValuesForAnUnknownOne() {
            assertThat(invalid("IMAGE", "alpine", "CONTAINER_RUNTIME", "crio").problems()).containsExactly(
                "CONTAINER_RUNTIME='crio' is unknown: use one of auto, docker, containerd, nerdctl, podman");
        }
    }

    @Nested
    class Syslog {

        @Test
        void unsetMeansTheKernelCommandLines() throws Exception {
            assertThat(valid("IMAGE", "alpine").syslog()).isEqualTo(new SyslogChoice.FromKernel());
        }

        @ParameterizedTest
        @CsvSource({ "udp://10.0.2.2:5140, 10.0.2.2, 5140", "udp://smee.example, smee.example, 514", "udp://[fd00::2]:514, fd00::2, 514" })
        void takesAUdpAddress(String value, String host, int port) throws Exception {
            assertThat(valid("IMAGE", "alpine", "WAITDAEMON_SYSLOG", value).syslog()).isEqualTo(new SyslogChoice.Address(host, port));
        }

        @Test
        void offSendsNothing() throws Exception {
            assertThat(valid("IMAGE", "alpine", "WAITDAEMON_SYSLOG", "OFF").syslog()).isEqualTo(new SyslogChoice.Off());
        }

        @ParameterizedTest
        @CsvSource({ "tcp://10.0.2.2:514", "10.0.2.2", "udp://", "udp://10.0.2.2:514/x" })
        void anythingElseIsOneLineWithTheFix(String value) {
            assertThat(invalid("IMAGE", "alpine", "WAITDAEMON_SYSLOG", value).problems()).containsExactly("WAITDAEMON_SYSLOG='" + value
                + "' is not a syslog address: use udp://host:port, e.g. udp://10.0.2.2:514, or off");
        }
    }

    @Nested
    class ContainerdAddress {

        @Test
        void unsetMeansTheUsualPlaces() throws Exception {
            assertThat(valid("IMAGE", "alpine").containerdAddress()).isNull();
        }

        @ParameterizedTest
        @CsvSource({ "/run/containerd/containerd.sock,/run/containerd/containerd.sock",
            "unix:///run/k3s/containerd/containerd.sock,/run/k3s/containerd/containerd.sock" })
        void takesAPathAsContainerdsClientsDo(String value, String path) throws Exception {
            assertThat(valid("IMAGE", "alpine", "CONTAINERD_ADDRESS", value).containerdAddress()).isEqualTo(path);
        }

        @Test
        void anythingElseIsOneLineWithAnExample() {
            assertThat(invalid("IMAGE", "alpine", "CONTAINERD_ADDRESS", "tcp://10.0.0.1:1234").problems()).containsExactly(
                "CONTAINERD_ADDRESS='tcp://10.0.0.1:1234' is not a unix socket path: use an absolute path, e.g. /run/containerd/containerd.sock");
        }
    }

    @Nested
    class OlderNames {

        @Test
        void areHonouredAlone() throws Exception {
            Settings settings = valid("IMAGE", "alpine", "CONTAINERD_NAMESPACE", "k8s.io", "NSENTER_HOST", "false");

            assertThat(settings.nerdctlNamespace()).isEqualTo("k8s.io");
            assertThat(settings.nerdctlHost()).isFalse();
        }

        @Test
        void loseToTheCurrentNamesWhenBothAgree() throws Exception {
            Settings settings = valid("IMAGE", "alpine", "NERDCTL_NAMESPACE", "a", "CONTAINERD_NAMESPACE", "a");

            assertThat(settings.nerdctlNamespace()).isEqualTo("a");
        }

        @Test
        void conflictingValuesStopOnlyTheRuntimesThatReadThem() throws Exception {
            Settings settings = valid("IMAGE", "alpine", "NERDCTL_NAMESPACE", "a", "CONTAINERD_NAMESPACE", "b",
                "NERDCTL_HOST", "true", "NSENTER_HOST", "false");

            assertThat(settings.scopedProblems()).containsExactly(
                new ScopedProblem("NERDCTL_NAMESPACE='a' and its older name CONTAINERD_NAMESPACE='b' disagree: set only NERDCTL_NAMESPACE",
                    ScopedProblem.ReadBy.NERDCTL),
                new ScopedProblem("NERDCTL_HOST='true' and its older name NSENTER_HOST='false' disagree: set only NERDCTL_HOST",
                    ScopedProblem.ReadBy.ANY_CLI));
            assertThat(settings.nerdctlNamespace()).isEqualTo("a");
        }
    }

    @Nested
    class NerdctlHost {

        @ParameterizedTest
        @CsvSource({ "true,true", "1,true", "yes,true", "on,true", "TRUE,true", "Yes,true",
            "false,false", "0,false", "no,false", "off,false", "OFF,false" })
        void takesTheBooleansTheGoWaitdaemonsTemplatesUse(String value, boolean expected) throws Exception {
            assertThat(valid("IMAGE", "alpine", "NERDCTL_HOST", value).nerdctlHost()).isEqualTo(expected);
            assertThat(valid("IMAGE", "alpine", "NSENTER_HOST", value).nerdctlHost()).isEqualTo(expected);
        }

        @Test
        void anythingElseIsAnErrorNamingTheVariableTheOperatorSet() {
            assertThat(invalid("IMAGE", "alpine", "NERDCTL_HOST", "maybe").problems())
                .containsExactly("NERDCTL_HOST='maybe' is not a boolean: use true or false (1/0, yes/no and on/off work too)");
            assertThat(invalid("IMAGE", "alpine", "NSENTER_HOST", "2").problems())
                .containsExactly("NSENTER_HOST='2' is not a boolean: use true or false (1/0, yes/no and on/off work too)");
        }
    }

    @Nested
    class DryRun {

        @Test
        void isOffUnlessSetAndTakesTheSameBooleans() throws Exception {
            assertThat(valid("IMAGE", "alpine").dryRun()).isFalse();
            assertThat(valid("IMAGE", "alpine", "WAITDAEMON_DRY_RUN", "1").dryRun()).isTrue();
            assertThat(valid("IMAGE", "alpine", "WAITDAEMON_DRY_RUN", "off").dryRun()).isFalse();
            assertThat(invalid("IMAGE", "alpine", "WAITDAEMON_DRY_RUN", "please").problems())
                .containsExactly("WAITDAEMON_DRY_RUN='please' is not a boolean: use true or false (1/0, yes/no and on/off work too)");
        }

        @Test
        void badConfigurationFailsItExactlyAsItWouldFailTheAction() {
            assertThat(invalid("IMAGE", "alpine", "WAIT_SECONDS", "soon", "WAITDAEMON_DRY_RUN", "true").problems())
                .isEqualTo(invalid("IMAGE", "alpine", "WAIT_SECONDS", "soon").problems());
        }
    }

    @Nested
    class EmptyValues {

        @Test
        void ofRuntimeNamespaceAndHostModeMeanTheirDefaultsWithAWarningEach() throws Exception {
            Settings settings = valid("IMAGE", "alpine", "CONTAINER_RUNTIME", "", "NERDCTL_NAMESPACE", "",
                "NERDCTL_HOST", "", "NSENTER_HOST", "", "CONTAINERD_NAMESPACE", "");

            assertThat(settings.runtime()).isEqualTo(RuntimeChoice.AUTO);
            assertThat(settings.nerdctlNamespace()).isEqualTo("tinkerbell");
            assertThat(settings.nerdctlHost()).isTrue();
            assertThat(settings.warnings()).containsExactly(
                "CONTAINER_RUNTIME is set but empty: using its default, as the Go waitdaemon does",
                "NERDCTL_NAMESPACE is set but empty: using its default, as the Go waitdaemon does",
                "CONTAINERD_NAMESPACE is set but empty: using its default, as the Go waitdaemon does",
                "NERDCTL_HOST is set but empty: using its default, as the Go waitdaemon does",
                "NSENTER_HOST is set but empty: using its default, as the Go waitdaemon does");
        }

        @Test
        void ofImageIsAnActionWithAnError() {
            FakeConfig config = FakeConfig.with("IMAGE", "");

            assertThat(new SettingsValidator(config, config.emptyNames()).actionRequested()).isTrue();
            assertThat(invalid("IMAGE", "").problems()).containsExactly("IMAGE is set but empty: give it a value or remove it");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "has space", "-lead", "a/b", "x..y" })
    void namespaceMustBeAContainerdNamespace(String namespace) {
        assertThat(invalid("IMAGE", "alpine", "NERDCTL_NAMESPACE", namespace).problems()).singleElement().asString()
            .contains("is not a containerd namespace");
    }

    @Nested
    class DockerHost {

        @Test
        void readsTcpAndUnix() throws Exception {
            assertThat(valid("IMAGE", "alpine", "DOCKER_HOST", "tcp://127.0.0.1:2375").dockerHost())
                .isEqualTo(new EngineAddress.Tcp("127.0.0.1", 2375));
            assertThat(valid("IMAGE", "alpine", "DOCKER_HOST", "unix:///run/podman/podman.sock").dockerHost())
                .isEqualTo(new EngineAddress.UnixSocket(Path.of("/run/podman/podman.sock")));
        }

        @Test
        void tlsIsRefusedRatherThanIgnoredWhereWaitdaemonDialsTcp() {
            assertThat(invalid("IMAGE", "alpine", "DOCKER_HOST", "tcp://10.0.0.1:2376", "DOCKER_TLS_VERIFY", "1").problems())
                .singleElement().asString()
                .startsWith("DOCKER_TLS_VERIFY is set with DOCKER_HOST=tcp://10.0.0.1:2376, but waitdaemon cannot speak TLS");
            assertThat(invalid("IMAGE", "alpine", "DOCKER_HOST", "tcp://10.0.0.1:2376", "DOCKER_TLS", "1").problems())
                .singleElement().asString().startsWith("DOCKER_TLS is set with");
        }

        @Test
        void tlsSettingsAreTheTargetsWhereWaitdaemonDoesNotDialTcp() throws Exception {
            valid("IMAGE", "alpine", "DOCKER_TLS_VERIFY", "1", "DOCKER_TLS", "1");
            valid("IMAGE", "alpine", "DOCKER_HOST", "tcp://10.0.0.1:2376", "DOCKER_TLS_VERIFY", "1",
                "CONTAINER_RUNTIME", "nerdctl");
        }

        @Test
        void emptyMeansTheDefaultSocketLikeTheDockerCli() throws Exception {
            assertThat(valid("IMAGE", "alpine", "DOCKER_HOST", "").dockerHost())
                .isEqualTo(new EngineAddress.UnixSocket(Path.of("/var/run/docker.sock")));
        }

        @ParameterizedTest
        @ValueSource(strings = { "ssh://host", "tcp://host", "unix://relative", "npipe:////./pipe/docker", "::" })
        void rejectsWhatItCannotDial(String value) {
            assertThat(invalid("IMAGE", "alpine", "DOCKER_HOST", value).problems()).singleElement().asString()
                .startsWith("DOCKER_HOST='" + value + "' is invalid: ");
        }
    }

    @Test
    void registryCredentialsComeTogetherAndTheMessageNeverShowsAValue() throws Exception {
        assertThat(invalid("IMAGE", "alpine", "REGISTRY_PASSWORD", "s3cr3t").problems())
            .containsExactly("REGISTRY_PASSWORD is set without REGISTRY_USERNAME: set both for IMAGE's registry, or neither");
        assertThat(invalid("IMAGE", "alpine", "REGISTRY_USERNAME", "tink").problems())
            .containsExactly("REGISTRY_USERNAME is set without REGISTRY_PASSWORD: set both for IMAGE's registry, or neither");
        valid("IMAGE", "alpine", "REGISTRY_USERNAME", "tink", "REGISTRY_PASSWORD", "s3cr3t");
        valid("IMAGE", "alpine", "REGISTRY_USERNAME", "", "REGISTRY_PASSWORD", "");
    }

    @Test
    void theCloneIsRecognisedByItsMarker() throws Exception {
        assertThat(valid("IMAGE", "alpine", "WAITDAEMON_PHASE", "clone").phase()).isEqualTo(Phase.CLONE);
        assertThat(invalid("IMAGE", "alpine", "WAITDAEMON_PHASE", "other").problems()).singleElement().asString()
            .contains("internal to waitdaemon");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(invalid("WAIT_SECONDS", "x", "CONTAINER_RUNTIME", "y", "NERDCTL_HOST", "z").problems()).hasSize(4);
    }

    @Test
    void echoesHostileValuesShortAndOnOneLine() {
        String problem = invalid("IMAGE", "alpine", "WAIT_SECONDS", "1\n" + "x".repeat(500)).problems().get(0);

        assertThat(problem).doesNotContain("\n").hasSizeLessThan(200);
    }

    @Test
    void anActionIsRequestedByImageOrByTheClonesMarker() {
        assertThat(new SettingsValidator(FakeConfig.with("IMAGE", "a"), java.util.Set.of()).actionRequested()).isTrue();
        assertThat(new SettingsValidator(FakeConfig.with("WAITDAEMON_PHASE", "clone"), java.util.Set.of()).actionRequested()).isTrue();
        assertThat(new SettingsValidator(FakeConfig.with(), java.util.Set.of()).actionRequested()).isFalse();
        assertThatThrownBy(() -> new SettingsValidator(FakeConfig.with(), java.util.Set.of()).validate())
            .isInstanceOf(InvalidConfigurationException.class);
    }
}
