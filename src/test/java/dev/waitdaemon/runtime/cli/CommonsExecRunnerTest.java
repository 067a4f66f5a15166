package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.waitdaemon.support.Processes;

/** Real processes: a call that outlives its timeout is ended with its whole tree. */
class CommonsExecRunnerTest {

    private final CommonsExecRunner runner = new CommonsExecRunner();

    @Test
    void argumentsArriveVerbatimAndOutputIsKept() {
        CommandRunner.Result result = runner.run(List.of("printf", "%s|", "a b", "$HOME", "'q'"), Duration.ofSeconds(10));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEqualTo("a b|$HOME|'q'|");
    }

    @Test
    void aTimeoutEndsTheChildrenTooLikeTheCliThatNsenterForks(@TempDir Path folder) throws Exception {
        Path pidFile = folder.resolve("child.pid");
        long started = System.nanoTime();

        // The shell exits by itself once its child is killed (its wait returns): a timeout all the same.
        CommandRunner.CommandFailedException failure = catchThrowableOfType(CommandRunner.CommandFailedException.class,
            () -> runner.run(List.of("sh", "-c", "sleep 600 & echo $! > " + pidFile + "; wait"), Duration.ofSeconds(3)));

        assertThat(failure).isInstanceOf(CommandRunner.CommandTimedOutException.class)
            .hasMessage("sh did not finish within 3 s and was ended with every process it started");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("nowhere near the child's 600 s")
            .isLessThan(Duration.ofSeconds(300));
        long child = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(Processes.running(child)).as("the forked child").isFalse();
    }

    /** One line of 20 MB (a target's logs --tail can be that): the end is kept, bounded, not the whole. */
    @Test
    void aHugeOutputKeepsItsEndWithinTheBound() {
        CommandRunner.Result result = runner.run(List.of("sh", "-c", "head -c 20000000 /dev/zero | tr '\\0' x; echo the-end"),
            Duration.ofSeconds(60));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).hasSize(dev.waitdaemon.runtime.OutputTail.DEFAULT_LIMIT).endsWith("xxxthe-end\n");
    }
}
