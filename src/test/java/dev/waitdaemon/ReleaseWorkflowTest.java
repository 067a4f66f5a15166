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

    /** The native image is the one operators pull: the plain tags; the JVM image's carry -jvm. */
    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', value = {
        "v1.2.3 | native | 1.2.3 latest",
        "v1.2.3 | jvm | 1.2.3-jvm latest-jvm",
        "v0.10.0 | native | 0.10.0 latest",
        "v1.2.0-rc.1 | native | 1.2.0-rc.1",
        "v1.2.0-rc.1 | jvm | 1.2.0-rc.1-jvm",
        "v2.0.0-beta | jvm | 2.0.0-beta-jvm" })
    void aPreReleaseNeverMovesEitherLatest(String tag, String variant, String tags) {
        EngineCli.Result result = HostCommand.run(Duration.ofSeconds(30),
            new ProcessBuilder("bash", "src/scripts/release-tags.sh", tag, variant));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().trim()).isEqualTo(tags);
    }

    @Test
    void theNativeImageIsTheDefaultVariantAndThereIsNoThird() {
        EngineCli.Result plain = HostCommand.run(Duration.ofSeconds(30), new ProcessBuilder("bash", "src/scripts/release-tags.sh", "v1.2.3"));
        EngineCli.Result other = HostCommand.run(Duration.ofSeconds(30),
            new ProcessBuilder("bash", "src/scripts/release-tags.sh", "v1.2.3", "graal"));

        assertThat(plain.out().trim()).isEqualTo("1.2.3 latest");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("the variant must be native or jvm, not 'graal'");
    }

    @ParameterizedTest
    @CsvSource({ "1.2.3", "v1.2", "latest", "v1.2.3+build.1", "'v1.2.3;id'" })
    void anythingButAVersionTagIsRefused(String tag) {
        EngineCli.Result result = HostCommand.run(Duration.ofSeconds(30),
            new ProcessBuilder("bash", "src/scripts/release-tags.sh", tag));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("is not a version tag");
    }

    /**
     * The job graph: the tests on the tagged commit first; each architecture's images pushed only by the
     * runner that built them, after their contract run there; the multi-platform tags, signatures and SBOM
     * attestations only once both architectures are pushed, each verified after it is made.
     */
    @Test
    void nothingIsPushedBeforeTheTestsAndItsOwnArchitecturesContractRun() throws IOException {
        List<String> release = Files.readAllLines(WORKFLOWS.resolve("release.yml"));

        assertThat(job(release, "test")).contains("    uses: ./.github/workflows/test.yml");
        List<String> images = job(release, "images");
        assertThat(images).contains("    needs: test").contains("    runs-on: ${{ matrix.runner }}")
            .contains("          - runner: ubuntu-24.04", "            arch: amd64", "          - runner: ubuntu-24.04-arm",
                "            arch: arm64");
        int built = indexOf(images, "bash src/scripts/build-image.sh --native");
        int contract = indexOf(images, "bash src/scripts/runner-contract.sh local/waitdaemon:release-jvm local/waitdaemon:release-native");
        int pushed = indexOf(images, "docker push");
        assertThat(built).isLessThan(contract);
        assertThat(contract).as("the contract run before any push").isLessThan(pushed);
        assertThat(images.subList(0, contract)).noneMatch(line -> line.matches(".*(docker push|podman push|push=true|publish).*"));

        List<String> publish = job(release, "publish");
        assertThat(publish).contains("    needs: images").contains("      id-token: write");
        int joined = indexOf(publish, "publish.sh --list");
        int signed = indexOf(publish, "sign.sh sign \"$image@$digest\" target/waitdaemon-sbom.json");
        int verified = indexOf(publish, "sign.sh verify \"$image@$digest\" --identity");
        assertThat(joined).isLessThan(signed);
        assertThat(signed).isLessThan(verified);
        assertThat(publish).anyMatch(line -> line.contains("release-tags.sh \"$GITHUB_REF_NAME\" \"$variant\""))
            .anyMatch(line -> line.contains("for variant in native jvm"));
        // Only the publishing job may sign: the others have no OIDC token.
        assertThat(release.stream().filter(line -> line.contains("id-token: write"))).hasSize(1);

        assertThat(Files.readString(WORKFLOWS.resolve("test.yml"))).contains("bash .ci/run").contains("workflow_call");
        assertThat(job(Files.readAllLines(WORKFLOWS.resolve("ci.yml")), "test"))
            .contains("    uses: ./.github/workflows/test.yml");
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in " + String.join("\n", lines));
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
