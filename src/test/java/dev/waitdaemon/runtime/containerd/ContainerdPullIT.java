package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.registry.RegistryHost;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.support.MachineLogOnFailure;
import dev.waitdaemon.support.TestMachine;
import dev.waitdaemon.support.TestRegistries;

/**
 * A pull through containerd's transfer service on containerd 2.1.9 (the CaptainOS-like machine), from the
 * tests' loopback registry, which the machine reaches on its own loopback.
 */
@ExtendWith(MachineLogOnFailure.class)
class ContainerdPullIT {

    private static final Duration PULL_LIMIT = Duration.ofMinutes(5);
    /** The machine's folder of registry hosts.toml files, as ctr and nerdctl read it. */
    private static final String CERTS = "/etc/containerd/certs.d";
    private static TestMachine machine;

    @BeforeAll
    static void startMachine() throws IOException {
        machine = TestMachine.captainos().start(List.of());
    }

    @AfterAll
    static void stopMachine() {
        if (machine != null) {
            machine.stop();
        }
    }

    @Test
    void pullsIntoTheImageStoreAndUnpacksForTheSnapshotter() throws Exception {
        String reference = TestRegistries.pushToOpen("local/busybox:test", "containerd-pull");
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            assertThatThrownBy(() -> api.image(reference)).isInstanceOf(EngineException.NotFound.class);

            api.pull(reference, ContainerdImages.architecture(), "overlayfs", CERTS, Optional.empty(), PULL_LIMIT);

            ContainerdImages.ImageConfig config = ContainerdImages.config(api, reference, ContainerdImages.architecture());
            assertThat(config.diffIds()).isNotEmpty();
            // Unpacked: the committed snapshot a container of it starts from is there.
            assertThat(api.snapshotParent("overlayfs", config.chainId())).isNotNull();
        }
    }

    @Test
    void aRegistryThatWantsALoginGetsTheCredentialsWhenContainerdAsks() throws Exception {
        String reference = TestRegistries.pushToPrivate("local/busybox:test", "containerd-private");
        RegistryCredentials credentials = RegistryCredentials.password(RegistryHost.normalised(TestRegistries.privateRegistry()),
            TestRegistries.user(), TestRegistries.password(), "the test");
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            assertThatThrownBy(() -> api.pull(reference, ContainerdImages.architecture(), "overlayfs", CERTS, Optional.empty(), PULL_LIMIT))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("401 Unauthorized");

            api.pull(reference, ContainerdImages.architecture(), "overlayfs", CERTS, Optional.of(credentials), PULL_LIMIT);

            assertThat(api.image(reference).name()).isEqualTo(reference);
        }
    }

    @Test
    void credentialsForAnotherRegistryAreNotGiven() throws Exception {
        String reference = TestRegistries.pushToPrivate("local/busybox:test", "containerd-private");
        RegistryCredentials elsewhere = RegistryCredentials.password(RegistryHost.normalised("registry.example:5000"),
            TestRegistries.user(), TestRegistries.password(), "the test");
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            // containerd 2.1.9's words when the answer on the stream is "none".
            assertThatThrownBy(() -> api.pull(reference, ContainerdImages.architecture(), "overlayfs", CERTS, Optional.of(elsewhere), PULL_LIMIT))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("authorization failed: no basic auth credentials");
        }
    }

    @Test
    void anImageTheRegistryLacksIsNotFoundInContainerdsWords() throws Exception {
        String missing = TestRegistries.open() + "/containerd-pull:no-such-tag";
        try (GrpcContainerdApi api = GrpcContainerdApi.open(machine.socket(), TestMachine.CAPTAINOS_NAMESPACE)) {
            assertThatThrownBy(() -> api.pull(missing, ContainerdImages.architecture(), "overlayfs", CERTS, Optional.empty(), PULL_LIMIT))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining(missing)
                .hasMessageContaining("not found");
        }
    }
}
