package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.docker.DockerModel;

/**
 * The native variant as far as this machine can build it: the `native` profile's sources for
 * native-image (made by src/scripts/test.sh with quarkus.native.sources-only), checked for what the
 * executable needs. The native link itself runs only on CI runners.
 */
class NativeSourcesIT {

    private static final Path SOURCES = Path.of(System.getProperty("waitdaemon.it.native-sources",
        "target/image-build/native-sources"));

    @Test
    void theExecutableLeavesTheTargetsCommandAloneAndAllowsNoJvmFallback() throws IOException {
        List<String> args = Arrays.asList(Files.readString(sources().resolve("native-image.args")).split("\\s+"));

        assertThat(args).as("-D and -XX: words in the target's command stay the target's")
            .contains("-H:-ParseRuntimeOptions", "--no-fallback");
        assertThat(Files.readString(sources().resolve("native-builder.image"))).contains("mandrel");
    }

    @Test
    void everyDockerApiRecordIsRegisteredForReflection() throws IOException {
        List<String> registered = new ArrayList<>();
        try (ZipFile runner = new ZipFile(runnerJar().toFile())) {
            JsonNode config = new ObjectMapper().readTree(runner.getInputStream(runner.getEntry("META-INF/native-image/reflect-config.json")));
            config.forEach(entry -> registered.add(entry.path("name").asText()));
        }
        List<String> records = Arrays.stream(DockerModel.class.getDeclaredClasses()).filter(Class::isRecord)
            .map(Class::getName).toList();

        assertThat(records).isNotEmpty();
        assertThat(registered).containsAll(records);
    }

    private static Path sources() {
        assertThat(SOURCES).as("the native sources: run src/scripts/test.sh, which makes them").isDirectory();
        return SOURCES;
    }

    private static Path runnerJar() throws IOException {
        try (var files = Files.list(sources())) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("no runner jar in " + SOURCES));
        }
    }
}
