package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.EngineException;

/** A target's process from its image's config, as Docker makes one. */
class ContainerdTargetProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ContainerdImages.ImageConfig image(String config) throws Exception {
        return new ContainerdImages.ImageConfig("r/os-installer:1", "sha256:m", "sha256:c", JSON.readTree(config), List.of());
    }

    @Test
    void theEntrypointThenTheCommandOrTheImagesOwn() throws Exception {
        ContainerdImages.ImageConfig installer = image("{\"Entrypoint\":[\"/init\"],\"Cmd\":[\"--help\"]}");

        assertThat(ContainerdLaunch.argsFor(installer, List.of("reboot", "-f"))).containsExactly("/init", "reboot", "-f");
        assertThat(ContainerdLaunch.argsFor(installer, List.of())).containsExactly("/init", "--help");
        assertThat(ContainerdLaunch.argsFor(image("{\"Cmd\":[\"sh\"]}"), List.of("kexec", "-e"))).containsExactly("kexec", "-e");
    }

    @Test
    void theActionsVariablesAreLaidOverTheImagesByName() throws Exception {
        ContainerdImages.ImageConfig installer = image("{\"Env\":[\"PATH=/usr/bin\",\"MODE=image\"]}");

        assertThat(ContainerdLaunch.envFor(installer, List.of("MODE=template", "DISK=/dev/sda")))
            .containsExactly("PATH=/usr/bin", "MODE=template", "DISK=/dev/sda");
    }

    @Test
    void theWorkingDirectoryAndUserAreTheImagesNumbersOnly() throws Exception {
        assertThat(image("{}").workingDir()).isEqualTo("/");
        assertThat(image("{\"WorkingDir\":\"/srv\"}").workingDir()).isEqualTo("/srv");
        assertThat(ContainerdLaunch.userFor(image("{}"))).containsExactly(0, 0);
        assertThat(ContainerdLaunch.userFor(image("{\"User\":\"1234\"}"))).containsExactly(1234, 0);
        assertThat(ContainerdLaunch.userFor(image("{\"User\":\"1234:5\"}"))).containsExactly(1234, 5);
        assertThatThrownBy(() -> ContainerdLaunch.userFor(image("{\"User\":\"installer\"}")))
            .isInstanceOf(EngineException.class)
            .hasMessage("image r/os-installer:1 runs as user 'installer', a name: the containerd runtime takes a numeric uid[:gid] only");
    }

    @Test
    void aTargetsSpecTakesItsImagesDirectoryAndUser() throws Exception {
        String action = "{\"process\":{\"args\":[\"/waitdaemon\"],\"env\":[],\"cwd\":\"/home/jboss\",\"user\":{\"uid\":0,\"gid\":0,"
            + "\"additionalGids\":[10]}},\"linux\":{\"cgroupsPath\":\"/tinkerbell/a1\"}}";

        JsonNode target = JSON.readTree(ContainerdLaunch.respec(action, "a1", "t2", List.of("reboot"), List.of("X=1"), "/srv",
            new int[] {1234, 5}));

        assertThat(target.at("/process/cwd").asText()).isEqualTo("/srv");
        assertThat(target.at("/process/user").toString()).isEqualTo("{\"uid\":1234,\"gid\":5}");
        assertThat(target.at("/linux/cgroupsPath").asText()).isEqualTo("/tinkerbell/t2");
    }

    /** Docker's rule for an image's defaults: what the operator gave the action stays; waitdaemon's own image's defaults do not. */
    @Test
    void theActionsDirectoryAndUserStayWhereTheOperatorGaveThem() throws Exception {
        ContainerdImages.ImageConfig waitdaemon = image("{\"WorkingDir\":\"/home/jboss\"}");
        ContainerdImages.ImageConfig installer = image("{\"WorkingDir\":\"/srv\",\"User\":\"1234:5\"}");
        String asTheAgentMadeIt = "{\"process\":{\"cwd\":\"/home/jboss\",\"user\":{\"uid\":0,\"gid\":0}}}";
        String givenByHand = "{\"process\":{\"cwd\":\"/tmp\",\"user\":{\"uid\":1000,\"gid\":0,\"additionalGids\":[1234]}}}";

        assertThat(ContainerdLaunch.cwdFor(asTheAgentMadeIt, waitdaemon, installer)).isEqualTo("/srv");
        assertThat(ContainerdLaunch.userFor(asTheAgentMadeIt, waitdaemon, installer)).containsExactly(1234, 5);
        assertThat(ContainerdLaunch.cwdFor(givenByHand, waitdaemon, installer)).isEqualTo("/tmp");
        assertThat(ContainerdLaunch.userFor(givenByHand, waitdaemon, installer)).as("the action's whole user").isNull();
    }
}
