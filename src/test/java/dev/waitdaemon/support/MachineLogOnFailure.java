package dev.waitdaemon.support;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, the last lines of each test machine's engine log (its PID 1's output, which podman
 * keeps until the machine is started afresh) go to stderr under the test's name. A machine goes with the
 * run, and CI keeps only what a failed run printed: an engine that stopped answering (containerd once left
 * a task's create unanswered for 30 s) can only be read there.
 */
public final class MachineLogOnFailure implements TestWatcher {

    private static final String MACHINES = "^waitdaemon-machine-";
    private static final int LINES = 60;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        EngineCli.Result machines = HostCommand.run(LIMIT, List.of("podman", "ps", "--all", "--filter", "name=" + MACHINES,
            "--format", "{{.Names}} {{.State}}"));
        StringBuilder report = new StringBuilder();
        for (String line : machines.out().strip().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String name = line.split(" ", 2)[0];
            EngineCli.Result log = HostCommand.run(LIMIT, List.of("podman", "logs", "--tail", String.valueOf(LINES), name));
            report.append("--- ").append(line).append(": the last ").append(LINES).append(" lines of its engine's log\n")
                .append(log.out()).append(log.err());
        }
        if (!report.isEmpty()) {
            System.err.println("=== " + context.getDisplayName() + " failed; the test machines at that moment:\n" + report);
        }
    }
}
