package dev.waitdaemon.support;

import java.io.IOException;

/**
 * A process on the host for host-mode CLI runtimes to nsenter into: this sandbox refuses entering
 * PID 1, so tests point NERDCTL_HOST_PID here. The action sees it through --pid host.
 */
public final class HostProcess implements AutoCloseable {

    private final Process process;

    public HostProcess() throws IOException {
        this.process = new ProcessBuilder("sleep", "3600").start();
    }

    public String pid() {
        return Long.toString(process.pid());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
