package dev.waitdaemon;

import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import picocli.CommandLine;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.SettingsValidator;
import dev.waitdaemon.support.TerminationSignal;

/**
 * Decides who reads the arguments. In an action (IMAGE set, or the clone's marker) they are the
 * target's command, verbatim: {@code --help}, {@code -c}, {@code --} or {@code @file} included, so
 * picocli must not parse them. Otherwise picocli serves {@code --help}, {@code --version} and
 * {@code status}.
 *
 * <p>picocli's command line is built only when it is needed: building it reflects over the commands
 * with picocli's own classes, which are Java 5 bytecode and so stay out of the JDK's AOT cache; an
 * action spares that time.
 */
@QuarkusMain
public class WaitdaemonMain implements QuarkusApplication {

    private final SettingsValidator validator;
    private final ActionRunner runner;
    private final Instance<CommandLine> commandLine;

    /**
     * The clone answers a stop (docker stop, a shutdown) at any moment before its target's creation, its
     * own start included: the signal is recorded from here, before Quarkus starts.
     */
    public static void main(String... args) {
        if (Contract.PHASE_MARKER_CLONE.equals(System.getenv(Contract.PHASE_MARKER))) {
            TerminationSignal.recordFromStart();
        }
        Quarkus.run(WaitdaemonMain.class, args);
    }

    /** {@code commandLine} is picocli's, built by the extension around {@link WaitdaemonCommand} with CDI. */
    @Inject
    public WaitdaemonMain(SettingsValidator validator, ActionRunner runner, Instance<CommandLine> commandLine) {
        this.validator = validator;
        this.runner = runner;
        this.commandLine = commandLine;
    }

    @Override
    public int run(String... args) {
        if (validator.actionRequested()) {
            return runner.run(List.of(args));
        }
        return commandLine.get().setExpandAtFiles(false).setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(WaitdaemonMain::badOption)
            .setExecutionExceptionHandler(WaitdaemonMain::failed).execute(args);
    }

    /** A command's failure (status's): the same lines and exit codes as an action's, from {@link Failure}. */
    private static int failed(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        Failure failure = Failure.of(e, ExitCode.STATUS_FAILED);
        failure.lines().forEach(line -> commandLine.getErr().println("waitdaemon: " + line));
        return failure.code().code();
    }

    /** A bad option is bad configuration: one line naming it and where help is, and exit 3. */
    private static int badOption(CommandLine.ParameterException e, String[] args) {
        e.getCommandLine().getErr().println("waitdaemon: invalid option: " + e.getMessage() + " — see "
            + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
        return ExitCode.INVALID_CONFIGURATION.code();
    }
}
