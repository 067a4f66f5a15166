package dev.waitdaemon.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The tests' two registries on loopback (src/scripts/test.sh starts them): one open, one that takes
 * only WAITDAEMON_REGISTRY_USER with WAITDAEMON_REGISTRY_PASSWORD. Images go in with skopeo straight
 * from dockerd's store under a fresh tag, so no engine under test has them before the action pulls.
 */
public final class TestRegistries {

    private static final Duration SKOPEO = Duration.ofMinutes(2);

    private TestRegistries() {
    }

    public static String open() {
        return property("waitdaemon.it.registry");
    }

    public static String privateRegistry() {
        return property("waitdaemon.it.private-registry");
    }

    public static String user() {
        return environment("WAITDAEMON_REGISTRY_USER");
    }

    public static String password() {
        return environment("WAITDAEMON_REGISTRY_PASSWORD");
    }

    /** {@code localImage} from dockerd's store as {@code <open registry>/<repository>:<fresh tag>}. */
    public static String pushToOpen(String localImage, String repository) {
        String reference = open() + "/" + repository + ":" + freshTag();
        HostCommand.ok(SKOPEO, "skopeo", "copy", "--quiet", "--dest-tls-verify=false", "docker-daemon:" + localImage,
            "docker://" + reference);
        return reference;
    }

    /** The same into the registry that wants a login; the credentials travel in a file, not an argument. */
    public static String pushToPrivate(String localImage, String repository) throws IOException {
        String reference = privateRegistry() + "/" + repository + ":" + freshTag();
        Path folder = Files.createTempDirectory("registry-auth");
        try {
            Path authFile = dockerConfig(folder, privateRegistry(), user(), password());
            HostCommand.ok(SKOPEO, "skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--dest-authfile",
                authFile.toString(), "docker-daemon:" + localImage, "docker://" + reference);
        } finally {
            Files.deleteIfExists(folder.resolve("config.json"));
            Files.deleteIfExists(folder);
        }
        return reference;
    }

    /** The manifest digest (sha256:…) the open registry serves for {@code reference}. */
    public static String digestOf(String reference) throws IOException {
        return new ObjectMapper().readTree(HostCommand.ok(SKOPEO, "skopeo", "inspect", "--tls-verify=false",
            "docker://" + reference)).path("Digest").asText();
    }

    /** A Docker config.json in {@code folder} (mode 0600) with credentials for {@code registry}. */
    public static Path dockerConfig(Path folder, String registry, String user, String password) throws IOException {
        Path file = folder.resolve("config.json");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Files.writeString(file, "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}");
        return file;
    }

    private static String freshTag() {
        return "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static String property(String name) {
        String value = System.getProperty(name, "");
        if (value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run src/scripts/test.sh, which starts the tests' registries");
        }
        return value;
    }

    private static String environment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not in the environment: run src/scripts/test.sh, which sets it");
        }
        return value;
    }
}
