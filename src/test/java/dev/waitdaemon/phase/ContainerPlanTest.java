package dev.waitdaemon.phase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.InheritedSettings;
import dev.waitdaemon.runtime.ContainerSummary;
import dev.waitdaemon.runtime.docker.DockerFixtures;

class ContainerPlanTest {

    private static final ImageReference TARGET_IMAGE = ImageReference.parse("quay.io/tinkerbell/actions/reboot:v1");
    private static final ImageInfo WAITDAEMON_IMAGE = new ImageInfo("sha256:waitdaemon",
        List.of("PATH=/opt/java/bin:/usr/bin", "LANG=C.UTF-8"));
    private static final ImageInfo IMAGE_WITHOUT_DEFAULTS = new ImageInfo("sha256:bare", List.of());

    @Nested
    class TheClone {

        @ParameterizedTest
        @ValueSource(strings = { DockerFixtures.DOCKER_ACTION, DockerFixtures.DOCKER_ACTION_HOST_NETWORK,
            DockerFixtures.PODMAN_ACTION })
        void isTheActionAgainWithThePhaseMarker(String fixture) {
            ContainerInfo action = DockerFixtures.containerInfo(fixture);

            ContainerSpec clone = ContainerPlan.clone(action, TARGET_IMAGE, List.of());

            assertThat(clone.image()).as("the image id, immune to a moved tag").isEqualTo(action.imageId());
            assertThat(clone.entrypoint()).isEqualTo(action.entrypoint());
            assertThat(clone.cmd()).isEqualTo(action.cmd());
            assertThat(clone.env()).containsAll(action.env()).contains("WAITDAEMON_PHASE=clone")
                .hasSize(action.env().size() + 1);
            assertThat(clone.host()).as("privileges, namespaces, binds, devices").isEqualTo(action.host());
            assertThat(clone.tty()).isEqualTo(action.tty());
            assertThat(clone.labels()).containsEntry("waitdaemon.phase", "clone")
                .containsEntry("waitdaemon.action", action.id());
        }

        @Test
        void neverGetsTheRegistryCredentialsTheImageIsThereByThen() {
            ContainerInfo action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
            List<String> env = new java.util.ArrayList<>(action.env());
            env.addAll(List.of("REGISTRY_USERNAME=tink", "REGISTRY_PASSWORD=s3cr3t", "WAITDAEMON_DRY_RUN=false"));
            ContainerInfo withSecrets = new ContainerInfo(action.id(), action.imageId(), action.entrypoint(), action.cmd(),
                env, action.labels(), action.tty(), action.host());

            assertThat(ContainerPlan.clone(withSecrets, TARGET_IMAGE, List.of()).env()).as("nor the dry-run switch")
                .noneMatch(entry -> entry.startsWith("REGISTRY_") || entry.startsWith("WAITDAEMON_DRY_RUN"))
                .containsAll(action.env());
        }

        @Test
        void masksABoundCredentialsFileWithAnEmptyOneAndKeepsEverythingNextToIt() {
            ContainerInfo action = withHost(new HostSettings(true, "host", null, null, null,
                List.of("/srv/creds.json:/root/.docker/config.json:ro", "/srv/out:/out", "/srv/root-docker-x:/root/.docker-x"),
                List.of(new HostSettings.MountSpec("bind", "/srv/v", "/v", false, null)), null, null, null, null),
                "DOCKER_CONFIG=/root/.docker");

            ContainerSpec clone = ContainerPlan.clone(action, TARGET_IMAGE, List.of("/root/.docker/config.json"));

            assertThat(clone.host().binds()).containsExactly("/srv/out:/out", "/srv/root-docker-x:/root/.docker-x",
                "/dev/null:/root/.docker/config.json:ro");
            assertThat(clone.host().mounts()).extracting(HostSettings.MountSpec::target).containsExactly("/v");
            assertThat(clone.env()).noneMatch(entry -> entry.startsWith("DOCKER_CONFIG="));
        }

        /**
         * -v /:/host -e DOCKER_CONFIG=/host/root/.docker: leaving out the whole bind took /host/boot from a
         * kexec target too. Only the file is kept from it, and so is a default config.json beside a
         * DOCKER_CONFIG that has none (it reached the target before).
         */
        @Test
        void masksExactlyTheCredentialsFilesAndKeepsTheMountsThatCarryThem() {
            ContainerInfo action = withHost(new HostSettings(true, "host", null, null, null, List.of("/:/host", "/srv/root:/root"),
                List.of(new HostSettings.MountSpec("bind", "/srv/c", "/cred", true, null)), null, null, null, null));

            ContainerSpec clone = ContainerPlan.clone(action, TARGET_IMAGE,
                List.of("/host/root/.docker/config.json", "/root/.docker/config.json"));

            assertThat(ContainerPlan.credentialsMasks(action, List.of("/host/root/.docker/config.json", "/elsewhere/config.json")))
                .containsExactly("/host/root/.docker/config.json");
            assertThat(clone.host().binds()).containsExactly("/:/host", "/srv/root:/root",
                "/dev/null:/host/root/.docker/config.json:ro", "/dev/null:/root/.docker/config.json:ro");
            assertThat(clone.host().mounts()).extracting(HostSettings.MountSpec::target).containsExactly("/cred");
        }

        @Test
        void masksNothingWhenTheCredentialsFileIsTheImagesOwnOrThereIsNone() {
            ContainerInfo action = withHost(new HostSettings(true, "host", null, null, null, List.of("/srv/out:/out"),
                null, null, null, null, null));

            assertThat(ContainerPlan.clone(action, TARGET_IMAGE, List.of("/root/.docker/config.json")).host().binds())
                .containsExactly("/srv/out:/out");
            assertThat(ContainerPlan.credentialsMasks(action, List.of())).isEmpty();
        }

        @Test
        void theTargetKeepsTheMask() {
            ContainerInfo action = withHost(new HostSettings(true, "host", null, null, null, List.of("/:/host"),
                null, null, null, null, null));
            ContainerSpec clone = ContainerPlan.clone(action, TARGET_IMAGE, List.of("/host/root/.docker/config.json"));
            ContainerInfo created = new ContainerInfo("c", clone.image(), clone.entrypoint(), clone.cmd(), clone.env(),
                clone.labels(), clone.tty(), clone.host());

            assertThat(ContainerPlan.target(created, TARGET_IMAGE, new ImageInfo("sha256:w", List.of())).host().binds())
                .containsExactly("/:/host", "/dev/null:/host/root/.docker/config.json:ro");
        }

        private static ContainerInfo withHost(HostSettings host, String... extraEnv) {
            ContainerInfo action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
            List<String> env = new java.util.ArrayList<>(action.env());
            env.addAll(List.of(extraEnv));
            return new ContainerInfo(action.id(), action.imageId(), action.entrypoint(), action.cmd(), env, action.labels(),
                action.tty(), host);
        }

        @Test
        void carriesEachMountOnceWhetherGivenAsBindOrAsMount() {
            ContainerInfo action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
            HostSettings reported = new HostSettings(true, "host", null, null, null,
                List.of("/srv/v:/v", "/srv/w:/w:ro", "/srv/w:/w:ro"),
                List.of(new HostSettings.MountSpec("bind", "/srv/v", "/v", false, null)), null, null, null, null);
            ContainerInfo doubled = new ContainerInfo(action.id(), action.imageId(), action.entrypoint(), action.cmd(),
                action.env(), action.labels(), action.tty(), reported);

            ContainerSpec clone = ContainerPlan.clone(doubled, TARGET_IMAGE, List.of());

            assertThat(clone.host().binds()).containsExactly("/srv/w:/w:ro");
            assertThat(clone.host().mounts()).extracting(HostSettings.MountSpec::target).containsExactly("/v");
        }

        @Test
        void keepsPrivilegedAndHostPidAndHostNetwork() {
            ContainerSpec clone = ContainerPlan.clone(DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION_HOST_NETWORK), TARGET_IMAGE, List.of());

            assertThat(clone.host().privileged()).isTrue();
            assertThat(clone.host().pidMode()).isEqualTo("host");
            assertThat(clone.host().networkMode()).isEqualTo("host");
        }
    }

    @Nested
    class TheTarget {

        private final ContainerInfo clone = cloneOf(DockerFixtures.DOCKER_ACTION);

        @Test
        void runsImageWithItsOwnEntrypointAndTheActionsCommandVerbatim() {
            ContainerSpec target = ContainerPlan.target(clone, TARGET_IMAGE, WAITDAEMON_IMAGE);

            assertThat(target.image()).isEqualTo("quay.io/tinkerbell/actions/reboot:v1");
            assertThat(target.entrypoint()).as("null: the target image's own").isNull();
            assertThat(target.cmd()).containsExactly("/bin/sh", "-c", "echo $GREETING > /out/marker");
        }

        @Test
        void passesFlagLikeArgumentsUntouched() {
            ContainerInfo flagged = withCmd(clone, List.of("--help", "-c", "--", "@file", "a b"));

            assertThat(ContainerPlan.target(flagged, TARGET_IMAGE, WAITDAEMON_IMAGE).cmd())
                .containsExactly("--help", "-c", "--", "@file", "a b");
        }

        @Test
        void getsTheOperatorsEnvironmentWithoutPathMarkerOrWaitdaemonDefaults() {
            ContainerInfo withDefaults = withEnv(clone, List.of("PATH=/opt/java/bin:/usr/bin", "LANG=C.UTF-8",
                "GREETING=hello world", "IMAGE=x", "WAITDAEMON_PHASE=clone", "LANG_OVERRIDE=1", "EMPTY="));

            List<String> env = ContainerPlan.target(withDefaults, TARGET_IMAGE, WAITDAEMON_IMAGE).env();

            assertThat(env).containsExactly("GREETING=hello world", "IMAGE=x", "LANG_OVERRIDE=1", "EMPTY=");
        }

        @Test
        void neverGetsTheRegistryCredentials() {
            ContainerInfo withSecrets = withEnv(clone, List.of("GREETING=hello world", "REGISTRY_USERNAME=tink",
                "REGISTRY_PASSWORD=s3cr3t", "WAITDAEMON_DRY_RUN=true"));

            assertThat(ContainerPlan.target(withSecrets, TARGET_IMAGE, WAITDAEMON_IMAGE).env())
                .containsExactly("GREETING=hello world");
        }

        @Test
        void dropsPathEvenWhenTheOperatorSetIt() {
            ContainerInfo withPath = withEnv(clone, List.of("PATH=/custom", "A=1"));

            assertThat(ContainerPlan.target(withPath, TARGET_IMAGE, IMAGE_WITHOUT_DEFAULTS).env()).containsExactly("A=1");
        }

        @ParameterizedTest
        @ValueSource(strings = { DockerFixtures.DOCKER_ACTION, DockerFixtures.DOCKER_ACTION_HOST_NETWORK,
            DockerFixtures.PODMAN_ACTION })
        void inheritsEveryHostSettingOfTheAction(String fixture) {
            ContainerInfo action = DockerFixtures.containerInfo(fixture);

            ContainerSpec target = ContainerPlan.target(cloneOf(fixture), TARGET_IMAGE, IMAGE_WITHOUT_DEFAULTS);

            assertThat(target.host()).isEqualTo(action.host());
            assertThat(target.host().privileged()).as("a reboot needs it").isTrue();
            assertThat(target.labels()).containsEntry("waitdaemon.phase", "target")
                .containsEntry("waitdaemon.action", action.id());
        }

        @Test
        void anUntaggedImageIsAskedForAsLatest() {
            ContainerSpec target = ContainerPlan.target(clone, ImageReference.parse("reboot"), IMAGE_WITHOUT_DEFAULTS);

            assertThat(target.image()).isEqualTo("reboot:latest");
        }
    }

    /** Everything else the engine reported of the action: carried whole, less what must not be. */
    @Nested
    class InheritedSettingsOfTheAction {

        private final ObjectMapper json = new ObjectMapper();

        @Test
        void theCloneCarriesEverySettingButThoseThatBelongToTheActionAlone() throws Exception {
            ContainerInfo action = actionWith(
                "{\"Hostname\":\"9c689dc8868a\",\"WorkingDir\":\"/tmp\",\"User\":\"0:0\",\"ExposedPorts\":{\"8080/tcp\":{}},"
                    + "\"MacAddress\":\"02:42:ac:11:00:99\",\"FutureField\":{\"Deep\":[1,2]}}",
                "{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"},\"ContainerIDFile\":\"/run/action.cid\","
                    + "\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8080\"}]},\"PublishAllPorts\":true,"
                    + "\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}],\"ShmSize\":1048576,"
                    + "\"LogConfig\":{\"Type\":\"syslog\",\"Config\":{\"syslog-address\":\"udp://10.1.1.1:514\"}},"
                    + "\"FutureHostSetting\":\"on\"}");

            InheritedSettings inherited = ContainerPlan.clone(action, TARGET_IMAGE, List.of()).inherited();

            assertThat(fieldNames(inherited.config())).as("a field this code has never heard of is carried too")
                .containsExactlyInAnyOrder("WorkingDir", "User", "FutureField");
            assertThat(inherited.config().get("FutureField")).isEqualTo(json.readTree("{\"Deep\":[1,2]}"));
            assertThat(fieldNames(inherited.hostConfig()))
                .containsExactlyInAnyOrder("Ulimits", "ShmSize", "LogConfig", "FutureHostSetting");
        }

        @Test
        void aHostnameTheOperatorGaveIsCarriedTheEnginesOwnIsNot() throws Exception {
            ContainerInfo named = actionWith("{\"Hostname\":\"provisioner\"}", "{}");
            ContainerInfo unnamed = actionWith("{\"Hostname\":\"" + named.id().substring(0, 12) + "\"}", "{}");

            assertThat(ContainerPlan.clone(named, TARGET_IMAGE, List.of()).inherited().config().path("Hostname").asText())
                .isEqualTo("provisioner");
            assertThat(ContainerPlan.clone(unnamed, TARGET_IMAGE, List.of()).inherited().config().has("Hostname"))
                .isFalse();
        }

        @Test
        void aHostnameUnderHostNetworkingIsCarriedOneInAnotherContainersNetworkIsNot() throws Exception {
            ContainerInfo hostNetwork = withNetworkMode(actionWith("{\"Hostname\":\"provisioner\"}", "{}"), "host");
            ContainerInfo shared = withNetworkMode(actionWith("{\"Hostname\":\"provisioner\"}", "{}"), "container:abc");

            assertThat(ContainerPlan.clone(hostNetwork, TARGET_IMAGE, List.of()).inherited().config()
                .path("Hostname").asText()).as("podman and Docker set it beside host networking").isEqualTo("provisioner");
            assertThat(ContainerPlan.clone(shared, TARGET_IMAGE, List.of()).inherited().config().has("Hostname"))
                .isFalse();
        }

        /**
         * --uts host: Docker fills Hostname with the host's name and refuses it back ("conflicting options:
         * hostname and the UTS mode", dockerd 20.10); nerdctl 2.2.1 refuses --hostname and --domainname
         * (fixtures/nerdctl-2.2.1/create-uts-host-hostname). The name is the host's either way.
         */
        @Test
        void underTheHostsUtsNamespaceNeitherCloneNorTargetIsGivenAName() throws Exception {
            ContainerInfo action = actionWith("{\"Hostname\":\"machine-7\",\"Domainname\":\"lab.test\",\"User\":\"0:0\"}", "{}");
            HostSettings host = action.host();
            ContainerInfo utsHost = new ContainerInfo(action.id(), action.imageId(), action.entrypoint(), action.cmd(),
                action.env(), action.labels(), action.tty(), new HostSettings(host.privileged(), host.pidMode(), "host",
                    host.ipcMode(), "host", host.binds(), host.mounts(), host.capAdd(), host.capDrop(), host.devices(),
                    host.securityOpt()), action.unreported(), action.inherited());

            ContainerSpec clone = ContainerPlan.clone(utsHost, TARGET_IMAGE, List.of());
            assertThat(clone.inherited().config().has("Hostname")).isFalse();
            assertThat(clone.inherited().config().has("Domainname")).isFalse();
            assertThat(clone.inherited().config().path("User").asText()).as("the rest stays").isEqualTo("0:0");
            assertThat(clone.host().utsMode()).isEqualTo("host");
        }

        private ContainerInfo withNetworkMode(ContainerInfo action, String networkMode) {
            HostSettings host = action.host();
            return new ContainerInfo(action.id(), action.imageId(), action.entrypoint(), action.cmd(), action.env(),
                action.labels(), action.tty(), new HostSettings(host.privileged(), host.pidMode(), networkMode,
                    host.ipcMode(), host.utsMode(), host.binds(), host.mounts(), host.capAdd(), host.capDrop(),
                    host.devices(), host.securityOpt()), action.unreported(), action.inherited());
        }

        @Test
        void theTargetTakesTheOperatorsWorkingDirectoryButNotWaitdaemonImagesOwn() throws Exception {
            ImageInfo waitdaemonImage = new ImageInfo("sha256:waitdaemon", List.of(), null, null,
                InheritedSettings.of(json.readTree("{\"WorkingDir\":\"/home/jboss\",\"User\":\"0\"}"), null));
            ContainerInfo defaults = cloneWith("{\"WorkingDir\":\"/home/jboss\",\"User\":\"0\",\"Domainname\":\"lab\"}");
            ContainerInfo given = cloneWith("{\"WorkingDir\":\"/tmp\",\"User\":\"0\"}");

            assertThat(fieldNames(ContainerPlan.target(defaults, TARGET_IMAGE, waitdaemonImage).inherited().config()))
                .containsExactly("Domainname");
            assertThat(ContainerPlan.target(given, TARGET_IMAGE, waitdaemonImage).inherited().config().path("WorkingDir").asText())
                .isEqualTo("/tmp");
        }

        private ContainerInfo actionWith(String config, String hostConfig) throws Exception {
            ContainerInfo action = DockerFixtures.containerInfo(DockerFixtures.DOCKER_ACTION);
            return new ContainerInfo(action.id(), action.imageId(), action.entrypoint(), action.cmd(), action.env(),
                action.labels(), action.tty(), action.host(), Set.of(),
                InheritedSettings.of(json.readTree(config), json.readTree(hostConfig)));
        }

        private ContainerInfo cloneWith(String config) throws Exception {
            ContainerInfo clone = cloneOf(DockerFixtures.DOCKER_ACTION);
            return new ContainerInfo(clone.id(), clone.imageId(), clone.entrypoint(), clone.cmd(), clone.env(),
                clone.labels(), clone.tty(), clone.host(), Set.of(), InheritedSettings.of(json.readTree(config), null));
        }

        private static List<String> fieldNames(JsonNode node) {
            List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    @Nested
    class StaleClones {

        @Test
        void keepsTheNewestExitedAndEveryRunningClone() {
            List<ContainerSummary> newestFirst = List.of(
                summary("running", true, 10), summary("e1", false, 9), summary("e2", false, 8),
                summary("e3", false, 7), summary("e4", false, 6), summary("e5", false, 5));

            assertThat(ContainerPlan.staleClones(newestFirst, 3)).containsExactly("e4", "e5");
        }

        @Test
        void removesNothingWhenFewExist() {
            assertThat(ContainerPlan.staleClones(List.of(summary("e1", false, 1)), 3)).isEmpty();
        }

        private ContainerSummary summary(String id, boolean running, long created) {
            return new ContainerSummary(id, running, Instant.ofEpochSecond(created), Map.of());
        }
    }

    /** What the clone sees when it inspects itself: the action's settings plus the clone's marker and labels. */
    private static ContainerInfo cloneOf(String fixture) {
        ContainerInfo action = DockerFixtures.containerInfo(fixture);
        ContainerSpec spec = ContainerPlan.clone(action, TARGET_IMAGE, List.of());
        return new ContainerInfo("clone-id", spec.image(), spec.entrypoint(), spec.cmd(), spec.env(), spec.labels(),
            spec.tty(), spec.host(), Set.of(), spec.inherited());
    }

    private static ContainerInfo withCmd(ContainerInfo info, List<String> cmd) {
        return new ContainerInfo(info.id(), info.imageId(), info.entrypoint(), cmd, info.env(), info.labels(),
            info.tty(), info.host());
    }

    private static ContainerInfo withEnv(ContainerInfo info, List<String> env) {
        return new ContainerInfo(info.id(), info.imageId(), info.entrypoint(), info.cmd(), env, info.labels(),
            info.tty(), info.host());
    }
}
