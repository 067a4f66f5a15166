package dev.waitdaemon.runtime.containerd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.EngineException;

/**
 * An image as containerd keeps it: its name leads to a manifest (through an index, for a multi-platform
 * image), the manifest to the image's config, and the config's layers to the snapshot a container of it
 * starts from, named by their chain id (the OCI image spec's ChainID, which containerd's unpacker names
 * the committed snapshot by).
 */
public final class ContainerdImages {

    /** A manifest, an index or a config is small; a layer is never read here. */
    static final int DOCUMENT_LIMIT = 4 * 1024 * 1024;
    private static final Set<String> INDEXES = Set.of("application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerdImages() {
    }

    /**
     * An image's config: {@code config} is the OCI image config's {@code config} object (Entrypoint, Cmd,
     * Env, WorkingDir, User…), {@code diffIds} its layers' uncompressed digests, bottom first.
     */
    public record ImageConfig(String name, String manifestDigest, String configDigest, JsonNode config, List<String> diffIds) {

        public ImageConfig {
            diffIds = List.copyOf(diffIds);
        }

        /** The committed snapshot a container of this image starts from. */
        public String chainId() {
            return ContainerdImages.chainId(diffIds);
        }

        public List<String> env() {
            return strings(config.path("Env"));
        }

        public List<String> entrypoint() {
            return strings(config.path("Entrypoint"));
        }

        public List<String> cmd() {
            return strings(config.path("Cmd"));
        }

        /** Where its process starts: the image's WorkingDir, else / (as runc and Docker do). */
        public String workingDir() {
            String dir = config.path("WorkingDir").asText("");
            return dir.isEmpty() ? "/" : dir;
        }

        /** The image's User, as written there (empty: root). */
        public String user() {
            return config.path("User").asText("");
        }

        private static List<String> strings(JsonNode array) {
            List<String> values = new ArrayList<>();
            array.forEach(value -> values.add(value.asText()));
            return values;
        }
    }

    /** The config of image {@code name} for linux/{@code architecture} (amd64, arm64). */
    public static ImageConfig config(ContainerdApi api, String name, String architecture) {
        ContainerdModel.Image image = api.image(name);
        String manifestDigest = image.target().digest();
        JsonNode manifest = document(api, manifestDigest);
        if (INDEXES.contains(image.target().mediaType()) || manifest.has("manifests")) {
            manifestDigest = platformManifest(manifest, name, architecture);
            manifest = document(api, manifestDigest);
        }
        String configDigest = manifest.path("config").path("digest").asText("");
        if (configDigest.isEmpty()) {
            throw new EngineException("image " + name + ": its manifest " + manifestDigest + " names no config", null);
        }
        JsonNode config = document(api, configDigest);
        List<String> diffIds = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
        return new ImageConfig(name, manifestDigest, configDigest, config.path("config"), diffIds);
    }

    private static String platformManifest(JsonNode index, String name, String architecture) {
        for (JsonNode entry : index.path("manifests")) {
            JsonNode platform = entry.path("platform");
            if (platform.path("os").asText().equals("linux") && platform.path("architecture").asText().equals(architecture)) {
                return entry.path("digest").asText();
            }
        }
        throw new EngineException("image " + name + " has no linux/" + architecture + " manifest", null);
    }

    private static JsonNode document(ContainerdApi api, String digest) {
        try {
            return JSON.readTree(new String(api.blob(digest, DOCUMENT_LIMIT), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineException("blob " + digest + " is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The OCI image spec's ChainID: the first layer's DiffID, then sha256 of "parent-chain-id diff-id"
     * for each layer above it.
     */
    static String chainId(List<String> diffIds) {
        if (diffIds.isEmpty()) {
            return "";
        }
        String chain = diffIds.get(0);
        for (String diffId : diffIds.subList(1, diffIds.size())) {
            chain = "sha256:" + sha256(chain + " " + diffId);
        }
        return chain;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** This process's architecture as OCI platforms name it. */
    public static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
