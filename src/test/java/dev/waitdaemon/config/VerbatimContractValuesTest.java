package dev.waitdaemon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The contract read through SmallRye Config as Quarkus builds it: its default interceptors, expansion included. */
class VerbatimContractValuesTest {

    private static SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withInterceptors(new VerbatimContractValues())
            .withSources(new EnvConfigSource(environment, 300))
            .withSources(new PropertiesConfigSource(Map.of("quarkus.example", "${HOME_FOLDER}/x"), "application.properties", 250))
            .withMapping(WaitdaemonConfig.class)
            .withValidateUnknown(false)
            .build();
    }

    @Test
    void aPasswordWithDollarsReachesWaitdaemonByteForByte() {
        String password = "p${secret}q$${x}\\${y}z${";
        WaitdaemonConfig contract = config(Map.of("REGISTRY_USERNAME", "u", "REGISTRY_PASSWORD", password))
            .getConfigMapping(WaitdaemonConfig.class);

        assertThat(contract.registryPassword()).contains(password);
        assertThat(contract.registryUsername()).contains("u");
    }

    @Test
    void everyContractValueIsVerbatimNotOnlyTheSecrets() {
        WaitdaemonConfig contract = config(Map.of("IMAGE", "ab${HOME}cd", "DOCKER_CONFIG", "/creds/${USER}",
            "WAIT_SECONDS", "${WAIT}", "HOME", "/root")).getConfigMapping(WaitdaemonConfig.class);

        assertThat(contract.image()).contains("ab${HOME}cd");
        assertThat(contract.dockerConfig()).contains("/creds/${USER}");
        assertThat(contract.waitSeconds()).contains("${WAIT}");
    }

    @Test
    void quarkusOwnSettingsKeepTheirExpressions() {
        SmallRyeConfig config = config(Map.of("HOME_FOLDER", "/home/q"));

        assertThat(config.getValue("quarkus.example", String.class)).isEqualTo("/home/q/x");
    }
}
