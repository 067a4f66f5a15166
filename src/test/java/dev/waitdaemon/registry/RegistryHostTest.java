package dev.waitdaemon.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.waitdaemon.config.ImageReference;

class RegistryHostTest {

    @ParameterizedTest
    @CsvSource({
        "alpine, docker.io",
        "library/alpine:3.20, docker.io",
        "tinkerbell/actions, docker.io",
        "docker.io/library/alpine, docker.io",
        "index.docker.io/library/alpine, docker.io",
        "registry-1.docker.io/x/y, docker.io",
        "quay.io/tinkerbell/actions/reboot:latest, quay.io",
        "127.0.0.1:5055/waitdaemon-target:t, 127.0.0.1:5055",
        "localhost/x, localhost",
        "localhost:5000/x, localhost:5000",
        "Registry.Example:443/x, registry.example:443",
    })
    void ofAnImage(String image, String host) {
        assertThat(RegistryHost.of(ImageReference.parse(image)).host()).isEqualTo(host);
    }

    @ParameterizedTest
    @CsvSource({
        "https://index.docker.io/v1/, docker.io",
        "index.docker.io, docker.io",
        "https://quay.io, quay.io",
        "http://127.0.0.1:5056/v2/, 127.0.0.1:5056",
        "127.0.0.1:5056, 127.0.0.1:5056",
    })
    void ofAConfigKey(String key, String host) {
        assertThat(RegistryHost.normalised(key).host()).isEqualTo(host);
    }

    @ParameterizedTest
    @CsvSource({ "alpine, https://index.docker.io/v1/", "quay.io/x, quay.io" })
    void serverAddressAsEnginesExpectIt(String image, String address) {
        assertThat(RegistryHost.of(ImageReference.parse(image)).serverAddress()).isEqualTo(address);
    }
}
