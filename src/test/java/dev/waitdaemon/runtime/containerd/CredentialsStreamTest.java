package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;

import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.registry.RegistryHost;
import dev.waitdaemon.runtime.containerd.api.transfer.AuthRequest;
import dev.waitdaemon.runtime.containerd.api.transfer.AuthResponse;
import dev.waitdaemon.runtime.containerd.api.transfer.AuthType;

class CredentialsStreamTest {

    private static final RegistryHost REGISTRY = RegistryHost.normalised("registry.example:5000");

    private static Any asking(String host) {
        return Any.newBuilder().setTypeUrl(AuthRequest.getDescriptor().getFullName())
            .setValue(AuthRequest.newBuilder().setHost(host).setReference(host + "/os/installer:1").build().toByteString()).build();
    }

    @Test
    void theirRegistryGetsTheUserAndPassword() {
        AuthResponse answer = CredentialsStream.answer(asking("registry.example:5000"),
            RegistryCredentials.password(REGISTRY, "operator", "s3cret", "REGISTRY_USERNAME"));

        assertThat(answer.getAuthType()).isEqualTo(AuthType.CREDENTIALS);
        assertThat(answer.getUsername()).isEqualTo("operator");
        assertThat(answer.getSecret()).isEqualTo("s3cret");
    }

    @Test
    void anIdentityTokenIsARefreshToken() {
        AuthResponse answer = CredentialsStream.answer(asking("registry.example:5000"),
            RegistryCredentials.identityToken(REGISTRY, "token-1", "config.json"));

        assertThat(answer.getAuthType()).isEqualTo(AuthType.REFRESH);
        assertThat(answer.getSecret()).isEqualTo("token-1");
        assertThat(answer.getUsername()).isEmpty();
    }

    @Test
    void anotherHostGetsNothing() {
        AuthResponse answer = CredentialsStream.answer(asking("mirror.example"),
            RegistryCredentials.password(REGISTRY, "operator", "s3cret", "REGISTRY_USERNAME"));

        assertThat(answer.getAuthType()).isEqualTo(AuthType.NONE);
        assertThat(answer.getSecret()).isEmpty();
    }

    @Test
    void aQuestionThatCannotBeReadGetsNothing() {
        Any garbage = Any.newBuilder().setTypeUrl("x").setValue(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01})).build();

        assertThat(CredentialsStream.answer(garbage, RegistryCredentials.password(REGISTRY, "u", "p", "s")).getAuthType())
            .isEqualTo(AuthType.NONE);
    }
}
