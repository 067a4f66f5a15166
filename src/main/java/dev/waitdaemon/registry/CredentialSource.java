package dev.waitdaemon.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.Contract;
import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.WaitdaemonConfig;

/**
 * Finds the credentials for IMAGE's registry, and for no other: REGISTRY_USERNAME and
 * REGISTRY_PASSWORD in the action's environment (tink-agent's names), else a Docker config.json in
 * DOCKER_CONFIG or mounted at /root/.docker/config.json. SettingsValidator has made sure the two
 * variables come together.
 */
@ApplicationScoped
public class CredentialSource {

    static final Path DEFAULT_CONFIG = Path.of("/root/.docker/config.json");
    private static final String FROM_ENVIRONMENT = Contract.REGISTRY_USERNAME + "/" + Contract.REGISTRY_PASSWORD;

    private final WaitdaemonConfig config;
    private final ObjectMapper json;
    private final Path defaultConfig;

    @Inject
    public CredentialSource(WaitdaemonConfig config, ObjectMapper json) {
        this(config, json, DEFAULT_CONFIG);
    }

    CredentialSource(WaitdaemonConfig config, ObjectMapper json, Path defaultConfig) {
        this.config = config;
        this.json = json;
        this.defaultConfig = defaultConfig;
    }

    /**
     * The Docker config.json waitdaemon reads credentials from, when there is one (in DOCKER_CONFIG or
     * at /root/.docker/config.json): it belongs to the pull, and is kept from the clone and the target.
     */
    public Optional<String> configFile() {
        Path file = configPath();
        return Files.isRegularFile(file) ? Optional.of(file.toString()) : Optional.empty();
    }

    /**
     * Every registry credentials file there is in the action: the one read (DOCKER_CONFIG's, else
     * /root/.docker/config.json) and the default one beside a DOCKER_CONFIG. The clone and the target get
     * none of them.
     */
    public List<String> configFiles() {
        return Stream.of(configPath(), defaultConfig).distinct().filter(Files::isRegularFile).map(Path::toString).toList();
    }

    private Path configPath() {
        return config.dockerConfig().map(folder -> Path.of(folder, "config.json")).orElse(defaultConfig);
    }

    public Optional<RegistryCredentials> forImage(ImageReference image) throws CredentialException {
        RegistryHost registry = RegistryHost.of(image);
        if (config.registryUsername().isPresent() && config.registryPassword().isPresent()) {
            return Optional.of(RegistryCredentials.password(registry, config.registryUsername().get(),
                config.registryPassword().get(), FROM_ENVIRONMENT));
        }
        Path file = configPath();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = json.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            // Never the parser's message: it quotes the file, which holds secrets.
            throw new CredentialException(file + " is not valid JSON" + where,
                "fix it, or remove it and set REGISTRY_USERNAME and REGISTRY_PASSWORD");
        } catch (IOException e) {
            throw new CredentialException("cannot read " + file + ": " + e.getMessage(), "make it readable, or remove it");
        }
        return DockerConfigFile.credentialsFor(root == null ? json.nullNode() : root, registry, file.toString());
    }
}
