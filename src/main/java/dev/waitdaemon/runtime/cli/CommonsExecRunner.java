package dev.waitdaemon.runtime.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** {@link CommandRunner} on commons-exec: arguments are added unquoted and passed as they are. */
@ApplicationScoped
public class CommonsExecRunner implements CommandRunner {

    @Override
    public Result run(List<String> argv, Duration timeout) {
        CommandLine command = new CommandLine(argv.get(0));
        // handleQuoting=false: each element is one argument, verbatim, whatever it contains.
        argv.subList(1, argv.size()).forEach(argument -> command.addArgument(argument, false));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setStreamHandler(new PumpStreamHandler(out, err));
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
        if (watchdog.killedProcess()) {
            throw new CommandFailedException(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s", null);
        }
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
