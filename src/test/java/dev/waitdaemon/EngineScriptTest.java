package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.waitdaemon.support.Processes;

/**
 * engine.sh's sharing between concurrent runs on one machine, in real bash processes: a service one run
 * started is stopped by the last run that uses it, never while another still does (before, the run that
 * started dockerd stopped it at its exit, under a test run that had come to use it).
 */
class EngineScriptTest {

    @TempDir
    Path folder;

    /** A run: sources engine.sh, does {@code body}, says "ready", and exits once {@code go} exists. */
    private Process run(String body, Path go) throws IOException {
        String script = "source src/scripts/engine.sh\n" + body + "\necho ready\n"
            + "while [ ! -e '" + go + "' ]; do sleep 0.05; done\n";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        builder.environment().put("WAITDAEMON_SHARED", folder.resolve("shared").toString());
        builder.environment().remove("WAITDAEMON_RUN_ID");
        return builder.start();
    }

    private static void awaitReady(Process run) throws IOException {
        String said = new String(run.getInputStream().readNBytes("ready\n".length()), StandardCharsets.UTF_8);
        assertThat(said).isEqualTo("ready\n");
    }

    private static void end(Process run, Path go) throws Exception {
        Files.createFile(go);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aServiceOneRunStartedIsStoppedByTheLastRunThatUsesIt() throws Exception {
        Path servicePid = folder.resolve("service.pid");
        Process first = run("sleep 300 &\nuse_shared svc\nown_shared svc pid $!\necho $! > '" + servicePid + "'",
            folder.resolve("first-may-exit"));
        awaitReady(first);
        long service = Long.parseLong(Files.readString(servicePid).trim());
        Process second = run("use_shared svc", folder.resolve("second-may-exit"));
        awaitReady(second);

        end(first, folder.resolve("first-may-exit"));
        assertThat(Processes.running(service)).as("still used by the second run").isTrue();

        end(second, folder.resolve("second-may-exit"));
        assertThat(Processes.running(service)).as("stopped by the last run using it").isFalse();
        assertThat(folder.resolve("shared")).doesNotExist();
    }

    @Test
    void aFileOneRunWroteStaysWhileAnotherUsesItAndGoesWithTheLast() throws Exception {
        Path file = folder.resolve("containers.conf");
        Process first = run("use_shared conf\necho x > '" + file + "'\nown_shared conf path '" + file + "'",
            folder.resolve("a"));
        awaitReady(first);
        Process second = run("use_shared conf", folder.resolve("b"));
        awaitReady(second);

        end(first, folder.resolve("a"));
        assertThat(file).exists();
        end(second, folder.resolve("b"));
        assertThat(file).doesNotExist();
    }

    /**
     * The bench's cleanup: through a stand-in CLI that records its calls and knows three containers, two
     * descending from the bench's action and one from a test run beside it. Before, every container
     * labelled waitdaemon.phase went, the other run's included.
     */
    @Test
    void theBenchRemovesOnlyWhatDescendsFromItsOwnActions() throws Exception {
        Path calls = folder.resolve("calls");
        String standIn = "cli() { echo \"$*\" >> '" + calls + "'; case \"$*\" in\n"
            + "  *label=waitdaemon.action=ours*) printf 'c1\\nt1\\n' ;;\n"
            + "  *label=waitdaemon.phase*) printf 'c1\\nt1\\nother\\n' ;;\n"
            + "esac; }\ncli=(cli)\nremove_descendants ours";
        Process bench = run(standIn, folder.resolve("done"));
        awaitReady(bench);
        end(bench, folder.resolve("done"));

        assertThat(Files.readAllLines(calls)).containsExactly("ps -aq --filter label=waitdaemon.action=ours", "rm -f c1 t1");
    }
}
