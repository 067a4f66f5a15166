package dev.waitdaemon.config;

import java.nio.file.Path;
import java.time.Duration;

/** Valid settings for tests: the contract's defaults, with what a test cares about changed. */
public final class SettingsFixture {

    private String image = "alpine";
    private Duration waitTime = Duration.ZERO;
    private RuntimeChoice runtime = RuntimeChoice.AUTO;
    private String namespace = Contract.DEFAULT_NERDCTL_NAMESPACE;
    private boolean hostMode = Contract.DEFAULT_NERDCTL_HOST;
    private int hostPid = Contract.DEFAULT_NERDCTL_HOST_PID;
    private Phase phase = Phase.FIRST_FORK;
    private Duration targetFollow = Duration.ZERO;
    private boolean dryRun;

    private SettingsFixture() {
    }

    public static SettingsFixture settings() {
        return new SettingsFixture();
    }

    public SettingsFixture image(String image) {
        this.image = image;
        return this;
    }

    public SettingsFixture waitTime(Duration waitTime) {
        this.waitTime = waitTime;
        return this;
    }

    public SettingsFixture runtime(RuntimeChoice runtime) {
        this.runtime = runtime;
        return this;
    }

    public SettingsFixture namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    public SettingsFixture hostMode(boolean hostMode, int hostPid) {
        this.hostMode = hostMode;
        this.hostPid = hostPid;
        return this;
    }

    public SettingsFixture phase(Phase phase) {
        this.phase = phase;
        return this;
    }

    public SettingsFixture targetFollow(Duration targetFollow) {
        this.targetFollow = targetFollow;
        return this;
    }

    public SettingsFixture dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Settings build() {
        return new Settings(ImageReference.parse(image), waitTime, runtime, namespace, hostMode, hostPid,
            new EngineAddress.UnixSocket(Path.of("/var/run/docker.sock")), null, phase, targetFollow, dryRun, new SyslogChoice.Off(), java.util.List.of(),
            java.util.List.of());
    }
}
