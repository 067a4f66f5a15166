package dev.waitdaemon.runtime.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.Watchdog;

import dev.waitdaemon.runtime.OutputTail;

/** {@link CommandRunner} on commons-exec: arguments are added unquoted and passed as they are. */
@ApplicationScoped
public class CommonsExecRunner implements CommandRunner {

    /** How long the output pumps may outlive a killed process before they are given up. */
    private static final Duration PUMP_GRACE = Duration.ofSeconds(2);

    @Override
    public Result run(List<String> argv, Duration timeout) {
        CommandLine command = new CommandLine(argv.get(0));
        // handleQuoting=false: each element is one argument, verbatim, whatever it contains.
        argv.subList(1, argv.size()).forEach(argument -> command.addArgument(argument, false));
        // Bounded: a target's logs --tail can be one line of any length.
        OutputTail out = new OutputTail();
        OutputTail err = new OutputTail();
        TreeKillingWatchdog watchdog = new TreeKillingWatchdog(timeout);
        PumpStreamHandler streams = new PumpStreamHandler(out, err);
        streams.setStopTimeout(PUMP_GRACE);
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setStreamHandler(streams);
        executor.setWatchdog(watchdog);
        executor.setExitValues(null);
        int exitCode;
        try {
            exitCode = executor.execute(command);
        } catch (ExecuteException e) {
            exitCode = e.getExitValue();
        } catch (IOException e) {
            throw new CommandFailedException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        // The watchdog's own record, not whether it killed the process: a shell that waits on its children
        // exits by itself as they die, before the watchdog gets to it, and that is still a timeout.
        if (watchdog.timedOut()) {
            watchdog.awaitKilled();
            throw new CommandTimedOutException(argv.get(0) + " did not finish within " + timeout.toSeconds()
                + " s and was ended with every process it started");
        }
        return new Result(exitCode, out.text(), err.text());
    }

    /**
     * Ends the whole process tree at the timeout, children first. {@code nsenter -p} forks: killing it
     * alone would leave the CLI running in the host, holding the output pipes open for ever.
     */
    private static final class TreeKillingWatchdog extends ExecuteWatchdog {

        /** SIGKILL always ends a process; this only bounds the wait for the kernel to carry it out. */
        private static final Duration KILL_WAIT = Duration.ofSeconds(30);

        private Process process;
        private List<ProcessHandle> killed = List.of();
        private volatile boolean timedOut;

        @SuppressWarnings("deprecation")
        TreeKillingWatchdog(Duration timeout) {
            super(timeout.toMillis());
        }

        @Override
        public synchronized void start(Process process) {
            this.process = process;
            super.start(process);
        }

        @Override
        public synchronized void timeoutOccured(Watchdog watchdog) {
            // Recorded before anything is killed: whatever the process does as its children die, the call timed out.
            timedOut = true;
            if (process != null) {
                killed = process.descendants().toList();
                killed.forEach(ProcessHandle::destroyForcibly);
            }
            // Then the process itself, should it still run.
            super.timeoutOccured(watchdog);
        }

        boolean timedOut() {
            return timedOut;
        }

        /**
         * SIGKILL is delivered asynchronously: waits (briefly) until the killed processes are gone, so
         * that "ended with every process it started" holds when the call returns.
         */
        void awaitKilled() {
            List<ProcessHandle> tree;
            synchronized (this) {
                tree = killed;
            }
            for (ProcessHandle handle : tree) {
                try {
                    handle.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    // nothing more can be done than SIGKILL; the timeout is reported either way
                }
            }
        }
    }
}
