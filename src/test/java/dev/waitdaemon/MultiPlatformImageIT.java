package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.support.EngineCli.Result;
import dev.waitdaemon.support.HostCommand;
import dev.waitdaemon.support.PublishedImage;

/**
 * What publish.sh pushed: one image for linux/amd64 and linux/arm64. This machine cannot start arm64
 * containers, so the arm64 image's layers are unpacked into a folder and its entrypoint is run there
 * under qemu's user-mode emulation.
 */
class MultiPlatformImageIT {

    private static final Duration SKOPEO = Duration.ofMinutes(3);
    /** A JVM under instruction-by-instruction emulation: seconds, not milliseconds. */
    private static final Duration EMULATED = Duration.ofMinutes(3);
    private static final String QEMU = "/usr/bin/qemu-aarch64-static";
    private static final int ELF_MACHINE_AARCH64 = 0xB7;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theRegistryHoldsOneImageListingAmd64AndArm64() throws IOException {
        JsonNode list = json.readTree(HostCommand.ok(SKOPEO, "skopeo", "inspect", "--raw", "--tls-verify=false",
            "docker://" + PublishedImage.reference()));

        assertThat(list.path("mediaType").asText()).isIn("application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.index.v1+json");
        List<String> platforms = new ArrayList<>();
        list.path("manifests").forEach(entry ->
            platforms.add(entry.at("/platform/os").asText() + "/" + entry.at("/platform/architecture").asText()));
        assertThat(platforms).containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
    }

    @Test
    void theArm64ImageAnswersItsVersionUnderEmulation(@TempDir Path work) throws IOException {
        Path layout = work.resolve("oci");
        HostCommand.ok(SKOPEO, "skopeo", "copy", "--quiet", "--src-tls-verify=false", "--override-arch", "arm64",
            "docker://" + PublishedImage.reference(), "oci:" + layout + ":arm64");
        JsonNode manifest = blob(layout, json.readTree(layout.resolve("index.json").toFile()).at("/manifests/0/digest").asText());
        JsonNode config = blob(layout, manifest.at("/config/digest").asText());
        assertThat(config.path("architecture").asText()).isEqualTo("arm64");

        Path root = work.resolve("root");
        Files.createDirectories(root);
        for (JsonNode layer : manifest.path("layers")) {
            HostCommand.ok(SKOPEO, "tar", "--warning=no-unknown-keyword", "-xf",
                blobPath(layout, layer.path("digest").asText()).toString(), "-C", root.toString());
        }
        Path java = root.resolve("opt/java/bin/java");
        assertThat(elfMachine(java)).as("the image's java is an arm64 program").isEqualTo(ELF_MACHINE_AARCH64);
        Files.copy(Path.of(QEMU), root.resolve("qemu-aarch64-static"));

        List<String> command = new ArrayList<>(List.of("chroot", root.toString(), "/qemu-aarch64-static"));
        command.addAll(entrypointInside(root, config.at("/config")));
        command.add("--version");
        ProcessBuilder emulated = new ProcessBuilder(command);
        emulated.environment().clear();
        emulated.environment().putAll(environment(config.at("/config/Env")));
        Result result = HostCommand.run(EMULATED, emulated);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().trim()).isEqualTo("waitdaemon " + System.getProperty("waitdaemon.it.version"));
    }

    /** The image's entrypoint with its program found on the image's PATH and its files made absolute. */
    private static List<String> entrypointInside(Path root, JsonNode config) {
        String workingDir = config.path("WorkingDir").asText("/");
        Map<String, String> env = environment(config.path("Env"));
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        String program = entrypoint.get(0);
        if (!program.startsWith("/")) {
            program = List.of(env.getOrDefault("PATH", "/usr/bin:/bin").split(":")).stream()
                .map(dir -> dir + "/" + entrypoint.get(0))
                .filter(candidate -> Files.isRegularFile(root.resolve(candidate.substring(1))))
                .findFirst().orElseThrow(() -> new AssertionError(entrypoint.get(0) + " is not on the image's PATH"));
        }
        List<String> resolved = new ArrayList<>(List.of(program));
        for (String arg : entrypoint.subList(1, entrypoint.size())) {
            String inWorkingDir = workingDir.replaceAll("/$", "") + "/" + arg;
            boolean relativeFile = !arg.startsWith("-") && !arg.startsWith("/")
                && Files.isRegularFile(root.resolve(inWorkingDir.substring(1)));
            resolved.add(relativeFile ? inWorkingDir : arg);
        }
        return resolved;
    }

    private static Map<String, String> environment(JsonNode env) {
        Map<String, String> values = new HashMap<>();
        env.forEach(entry -> {
            String[] pair = entry.asText().split("=", 2);
            values.put(pair[0], pair.length > 1 ? pair[1] : "");
        });
        return values;
    }

    private JsonNode blob(Path layout, String digest) throws IOException {
        return json.readTree(blobPath(layout, digest).toFile());
    }

    private static Path blobPath(Path layout, String digest) {
        String[] parts = digest.split(":", 2);
        return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
    }

    private static int elfMachine(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(20);
            assertThat(header).startsWith(0x7f, 'E', 'L', 'F');
            return (header[18] & 0xff) | (header[19] & 0xff) << 8;
        }
    }
}
