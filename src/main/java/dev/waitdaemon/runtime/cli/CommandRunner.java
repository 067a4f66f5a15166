package dev.waitdaemon.runtime.cli;

import java.time.Duration;
import java.util.List;

/** Runs one argument vector (never through a shell) and captures what it printed. */
public interface CommandRunner {

    record Result(int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * @throws CommandFailedException when the program cannot be started or does not finish in time
     */
    Result run(List<String> argv, Duration timeout);

    class CommandFailedException extends RuntimeException {
        public CommandFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The program was started but did not finish in time; it and every process it started were ended. */
    class CommandTimedOutException extends CommandFailedException {
        public CommandTimedOutException(String message) {
            super(message, null);
        }
    }
}
