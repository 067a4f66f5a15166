package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.HostCommand;

/** What a release publishes, and only after the tests have passed on the tagged commit. */
class ReleaseWorkflowTest {

    private static final Path WORKFLOWS = Path.of(".github", "workflows");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "v1.2.3 | 1.2.3 latest",
        "v0.10.0 | 0.10.0 latest",
        "v1.2.0-rc.1 | 1.2.0-rc.1",
        "v2.0.0-beta | 2.0.0-beta" })
    void aPreReleaseNeverMovesLatest(String tag, String tags) {
        EngineCli.Result result = HostCommand.run(Duration.ofSeconds(30),
            new ProcessBuilder("bash", "src/scripts/release-tags.sh", tag));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().trim()).isEqualTo(tags);
    }

    @ParameterizedTest
    @CsvSource({ "1.2.3", "v1.2", "latest", "v1.2.3+build.1", "'v1.2.3;id'" })
    void anythingButAVersionTagIsRefused(String tag) {
        EngineCli.Result result = HostCommand.run(Duration.ofSeconds(30),
            new ProcessBuilder("bash", "src/scripts/release-tags.sh", tag));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("is not a version tag");
    }

    @Test
    void everyPublishingJobWaitsForTheTestCommandOnTheSameCommit() throws IOException {
        List<String> release = Files.readAllLines(WORKFLOWS.resolve("release.yml"));

        assertThat(job(release, "test")).contains("    uses: ./.github/workflows/test.yml");
        assertThat(job(release, "jvm")).contains("    needs: test").anyMatch(line -> line.contains("release-tags.sh"));
        assertThat(job(release, "native")).contains("    needs: test");
        assertThat(job(release, "native-list")).contains("    needs: native");
        assertThat(Files.readString(WORKFLOWS.resolve("test.yml"))).contains("bash .ci/run").contains("workflow_call");
        assertThat(job(Files.readAllLines(WORKFLOWS.resolve("ci.yml")), "test"))
            .contains("    uses: ./.github/workflows/test.yml");
    }

    /** The lines of one job, from its name to the next job's. */
    private static List<String> job(List<String> workflow, String name) {
        int start = workflow.indexOf("  " + name + ":");
        assertThat(start).as("job " + name).isNotNegative();
        int end = start + 1;
        while (end < workflow.size() && !workflow.get(end).matches("  [a-z][a-z-]*:")) {
            end++;
        }
        return workflow.subList(start, end);
    }
}
