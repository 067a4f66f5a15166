package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SBOM the build makes at package (cyclonedx-maven-plugin), which the release attaches to every pushed
 * image: CycloneDX, and it names every Java library the image carries (the JVM image's jars are the
 * application's lib folder; the native image is linked from the same ones), and nothing the tests alone use.
 */
class SbomIT {

    private static final Path SBOM = Path.of("target", "waitdaemon-sbom.json");
    private static final Path LIBRARIES = Path.of("target", "quarkus-app", "lib");

    @Test
    void namesEveryLibraryTheImageCarriesAndNoTestLibrary() throws IOException {
        JsonNode bom = new ObjectMapper().readTree(SBOM.toFile());

        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.at("/metadata/component/purl").asText()).startsWith("pkg:maven/dev.waitdaemon/waitdaemon@");
        List<String> named = new ArrayList<>();
        for (JsonNode component : bom.path("components")) {
            // Quarkus names a library's file group.artifact-version.jar
            named.add(component.path("group").asText() + "." + component.path("name").asText() + "-" + component.path("version").asText());
        }
        List<String> jars;
        try (Stream<Path> files = Files.walk(LIBRARIES)) {
            jars = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).toList();
        }
        assertThat(jars).isNotEmpty().allSatisfy(jar -> assertThat(named).as("the SBOM's components")
            .anyMatch(component -> jar.equals(component + ".jar") || jar.startsWith(component + "-")));
        assertThat(named).noneMatch(component -> component.startsWith("org.junit") || component.startsWith("org.assertj"));
    }
}
