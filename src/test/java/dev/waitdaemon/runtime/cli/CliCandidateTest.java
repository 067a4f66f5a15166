package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.RuntimeChoice;
import dev.waitdaemon.config.SettingsFixture;
import dev.waitdaemon.runtime.RuntimeUnavailableException;

/** Host mode's check of the process it enters, on a /proc of the test's own. */
class CliCandidateTest {

    @TempDir
    Path proc;

    private final List<List<String>> calls = new ArrayList<>();

    private CliCandidate nerdctl() {
        CommandRunner runner = (argv, timeout) -> {
            calls.add(argv);
            return new CommandRunner.Result(0, "nerdctl version 2.2", "");
        };
        return new CliCandidate(CliDialect.NERDCTL, runner, new ObjectMapper(), proc) {
            @Override public int order() { return 30; }
            @Override public RuntimeChoice serves() { return RuntimeChoice.NERDCTL; }
        };
    }

    /** A process as /proc shows it: NSpid has one entry in a container's own pid namespace too ("NSpid: 7"). */
    private void process(String name, long pid, long parent, String mountNamespace) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(name));
        Files.writeString(dir.resolve("status"), "Name:\tx\nPid:\t" + pid + "\nPPid:\t" + parent + "\nNSpid:\t" + pid + "\n");
        Files.createSymbolicLink(Files.createDirectories(dir.resolve("ns")).resolve("mnt"), Path.of("mnt:[" + mountNamespace + "]"));
    }

    private Object connect() throws RuntimeUnavailableException {
        return nerdctl().connect(SettingsFixture.settings().runtime(RuntimeChoice.NERDCTL).hostMode(true, 1).build());
    }

    @Test
    void withoutPidHostPidOneIsTheContainersOwnAndTheOperatorIsToldToAddPidHost() throws Exception {
        process("self", 7, 1, "111");
        process("1", 1, 0, "111");
        // in a container: cgroup v1 names it
        Files.writeString(proc.resolve("self").resolve("cgroup"), "12:pids:/docker/" + "a".repeat(64) + "\n");

        RuntimeUnavailableException refused = catchThrowableOfType(RuntimeUnavailableException.class, this::connect);

        assertThat(refused).hasMessage("process 1 is this container's own, not the host's: the action is not in the host's pid namespace");
        assertThat(refused.fix()).isEqualTo("run the action with pid: host");
        assertThat(calls).as("nothing run in the container's own namespaces").isEmpty();
    }

    @Test
    void withPidHostTheHostsInitIsEntered() throws Exception {
        process("self", 4242, 1, "111");
        process("1", 1, 0, "222");

        assertThat(connect()).isNotNull();
        assertThat(calls).singleElement().satisfies(argv -> assertThat(argv).startsWith("nsenter", "-t", "1"));
    }

    @Test
    void inAMachineThatIsItselfAContainerPidHostMeansTheMachinesInit() throws Exception {
        // the action shares the machine's pid namespace, which is not the kernel's first
        process("self", 4242, 1, "111");
        process("1", 1, 0, "333");

        assertThat(connect()).isNotNull();
    }

    @Test
    void aHostProcessThatCannotBeSeenIsNamedWithTheFix() throws Exception {
        process("self", 7, 1, "111");

        RuntimeUnavailableException refused = catchThrowableOfType(RuntimeUnavailableException.class, this::connect);

        assertThat(refused).hasMessageStartingWith("host process 1 is not visible");
        assertThat(refused.fix()).isEqualTo("run the action with pid: host");
    }
}
