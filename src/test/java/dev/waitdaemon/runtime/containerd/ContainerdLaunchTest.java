package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.EngineException;

class ContainerdLaunchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTION = "aaaa1111";
    private static final String SPEC = """
        {"ociVersion":"1.2.0","process":{"args":["/waitdaemon"],"env":["IMAGE=x"],"cwd":"/","capabilities":{"bounding":["CAP_SYS_BOOT"]}},
         "root":{"path":"rootfs"},"hostname":"captainos","mounts":[{"destination":"/proc","type":"proc","source":"proc"}],
         "linux":{"cgroupsPath":"/tinkerbell/aaaa1111","namespaces":[{"type":"mount"},{"type":"pid","path":"/proc/1/ns/pid"}]}}
        """;

    @Test
    void onlyTheProcessAndTheCgroupPathChange() throws Exception {
        JsonNode clone = JSON.readTree(ContainerdLaunch.respec(SPEC, ACTION, "bbbb2222", List.of("/waitdaemon", "reboot"),
            List.of("IMAGE=y", "WAITDAEMON_PHASE=clone")));

        assertThat(clone.at("/process/args").toString()).isEqualTo("[\"/waitdaemon\",\"reboot\"]");
        assertThat(clone.at("/process/env").toString()).isEqualTo("[\"IMAGE=y\",\"WAITDAEMON_PHASE=clone\"]");
        assertThat(clone.at("/linux/cgroupsPath").asText()).isEqualTo("/tinkerbell/bbbb2222");
        JsonNode original = JSON.readTree(SPEC);
        for (String kept : List.of("/process/cwd", "/process/capabilities", "/root", "/hostname", "/mounts", "/linux/namespaces", "/ociVersion")) {
            assertThat(clone.at(kept)).as(kept).isEqualTo(original.at(kept));
        }
    }

    @Test
    void aCgroupPathThatDoesNotNameTheContainerIsLeftToRunc() throws Exception {
        String shared = SPEC.replace("/tinkerbell/aaaa1111", "/machine/actions");

        JsonNode clone = JSON.readTree(ContainerdLaunch.respec(shared, ACTION, "bbbb2222", List.of("x"), List.of()));

        assertThat(clone.path("linux").has("cgroupsPath")).isFalse();
    }

    @Test
    void aSpecThatIsNotAnObjectIsTheEnginesFault() {
        assertThatThrownBy(() -> ContainerdLaunch.respec("[1]", ACTION, "b", List.of("x"), List.of()))
            .isInstanceOf(EngineException.class).hasMessageStartingWith("the container's OCI spec is not a JSON object");
    }

    @Test
    void whatFailsMidwayIsTakenDownInReverse() {
        Recording api = new Recording("createTask");
        ContainerdModel.NewContainer container = new ContainerdModel.NewContainer("c1", Map.of(), "img",
            new ContainerdModel.Runtime("io.containerd.runc.v2", "", new byte[0]), SPEC, "overlayfs", "c1-snapshot");

        assertThatThrownBy(() -> ContainerdLaunch.start(api, container, "parent", "file:///log"))
            .isInstanceOf(EngineException.class).hasMessage("createTask refused");

        assertThat(api.calls).containsExactly("createContainer c1", "prepareSnapshot c1-snapshot on parent", "createTask c1",
            "removeSnapshot c1-snapshot", "deleteContainer c1");
    }

    @Test
    void aTaskThatFailsToStartIsKilledAndDeletedFirst() {
        Recording api = new Recording("startTask");
        ContainerdModel.NewContainer container = new ContainerdModel.NewContainer("c1", Map.of(), "img",
            new ContainerdModel.Runtime("io.containerd.runc.v2", "", new byte[0]), SPEC, "overlayfs", "c1-snapshot");

        assertThatThrownBy(() -> ContainerdLaunch.start(api, container, "parent", "file:///log")).hasMessage("startTask refused");

        assertThat(api.calls).containsExactly("createContainer c1", "prepareSnapshot c1-snapshot on parent", "createTask c1",
            "startTask c1", "killTask c1 9", "awaitExit c1", "deleteTask c1", "removeSnapshot c1-snapshot", "deleteContainer c1");
    }

    /** Records the calls; the one named fails. */
    private static final class Recording extends UnansweringContainerdApi {

        final List<String> calls = new ArrayList<>();
        private final String failing;

        Recording(String failing) {
            this.failing = failing;
        }

        private void record(String call, String detail) {
            calls.add(call + " " + detail);
            if (call.equals(failing)) {
                throw new EngineException(call + " refused", null);
            }
        }






        @Override
        public ContainerdModel.Exit awaitExit(String containerId, Duration limit) {
            record("awaitExit", containerId);
            return null;
        }


        @Override
        public List<ContainerdModel.Mount> prepareSnapshot(String snapshotter, String key, String parent) {
            record("prepareSnapshot", key + " on " + parent);
            return List.of();
        }


        @Override
        public void removeSnapshot(String snapshotter, String key) {
            record("removeSnapshot", key);
        }

        @Override
        public void createContainer(ContainerdModel.NewContainer container) {
            record("createContainer", container.id());
        }

        @Override
        public void deleteContainer(String id) {
            record("deleteContainer", id);
        }

        @Override
        public long createTask(String containerId, List<ContainerdModel.Mount> rootfs, String outputUri) {
            record("createTask", containerId);
            return 1;
        }

        @Override
        public void startTask(String containerId) {
            record("startTask", containerId);
        }

        @Override
        public void killTask(String containerId, int signal) {
            record("killTask", containerId + " " + signal);
        }

        @Override
        public ContainerdModel.Exit deleteTask(String containerId) {
            record("deleteTask", containerId);
            return null;
        }

    }
}
