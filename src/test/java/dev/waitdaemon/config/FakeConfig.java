package dev.waitdaemon.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The environment as a map, the way the config mapping would present it (empty values are absent). */
public final class FakeConfig implements WaitdaemonConfig {

    private final Map<String, String> env = new HashMap<>();

    public static FakeConfig with(String... nameValuePairs) {
        FakeConfig config = new FakeConfig();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            config.env.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return config;
    }

    private Optional<String> get(String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isEmpty());
    }

    @Override public Optional<String> image() { return get(Contract.IMAGE); }
    @Override public Optional<String> waitSeconds() { return get(Contract.WAIT_SECONDS); }
    @Override public Optional<String> containerRuntime() { return get(Contract.CONTAINER_RUNTIME); }
    @Override public Optional<String> nerdctlNamespace() { return get(Contract.NERDCTL_NAMESPACE); }
    @Override public Optional<String> containerdNamespace() { return get(Contract.CONTAINERD_NAMESPACE); }
    @Override public Optional<String> nerdctlHost() { return get(Contract.NERDCTL_HOST); }
    @Override public Optional<String> nsenterHost() { return get(Contract.NSENTER_HOST); }
    @Override public Optional<String> targetFollowSeconds() { return get(Contract.TARGET_FOLLOW_SECONDS); }
    @Override public Optional<String> nerdctlHostPid() { return get(Contract.NERDCTL_HOST_PID); }
    @Override public Optional<String> dockerHost() { return get(Contract.DOCKER_HOST); }
    @Override public Optional<String> containerdAddress() { return get(Contract.CONTAINERD_ADDRESS); }
    @Override public Optional<String> waitdaemonSyslog() { return get(Contract.SYSLOG); }
    @Override public Optional<String> dockerTlsVerify() { return get(Contract.DOCKER_TLS_VERIFY); }
    @Override public Optional<String> dockerTls() { return get(Contract.DOCKER_TLS); }
    @Override public Optional<String> registryUsername() { return get(Contract.REGISTRY_USERNAME); }
    @Override public Optional<String> registryPassword() { return get(Contract.REGISTRY_PASSWORD); }
    @Override public Optional<String> dockerConfig() { return get(Contract.DOCKER_CONFIG); }
    @Override public Optional<String> waitdaemonDryRun() { return get(Contract.DRY_RUN); }
    @Override public Optional<String> waitdaemonPhase() { return get(Contract.PHASE_MARKER); }

    /** Names given with an empty value, as EnvironmentFacts reports them. */
    public java.util.Set<String> emptyNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        env.forEach((name, value) -> {
            if (value.isEmpty()) {
                names.add(name);
            }
        });
        return names;
    }
}
