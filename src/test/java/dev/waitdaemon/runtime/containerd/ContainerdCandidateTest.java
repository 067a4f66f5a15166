package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.Settings;
import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.runtime.OwnContainer;

class ContainerdCandidateTest {

    @Test
    void containerdAddressComesFirst() {
        Settings base = SettingsFixture.settings().runtime(RuntimeChoice.CONTAINERD).build();
        Settings settings = new Settings(base.image(), base.waitTime(), base.runtime(), base.nerdctlNamespace(), base.nerdctlHost(),
            base.nerdctlHostPid(), base.dockerHost(), "/run/k3s/containerd/containerd.sock", base.phase(), base.targetFollow(),
            base.dryRun(), base.syslog(), base.warnings(), base.scopedProblems());

        assertThat(ContainerdCandidate.socket(settings)).isEqualTo(Path.of("/run/k3s/containerd/containerd.sock"));
    }

    /** Outside any container (this test): no socket mounted at the usual place, so the machine's through PID 1's root. */
    @Test
    void withoutAMountedSocketTheMachinesThroughPid1sRoot() {
        Settings settings = SettingsFixture.settings().runtime(RuntimeChoice.CONTAINERD).build();

        Path socket = ContainerdCandidate.socket(settings);

        assertThat(socket).isIn(Path.of("/run/containerd/containerd.sock"), Path.of("/proc/1/root/run/containerd/containerd.sock"));
        if (!java.nio.file.Files.exists(Path.of("/run/containerd/containerd.sock"))) {
            assertThat(socket).isEqualTo(Path.of("/proc/1/root/run/containerd/containerd.sock"));
        }
    }

    @Test
    void servesContainerdAfterTheMountedSocketsAndBeforeTheClis() {
        ContainerdCandidate candidate = new ContainerdCandidate(new OwnContainer());

        assertThat(candidate.serves()).isEqualTo(RuntimeChoice.CONTAINERD);
        assertThat(candidate.order()).isBetween(21, 29);
        assertThat(candidate.name()).isEqualTo("containerd-api");
    }
}
