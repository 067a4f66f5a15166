package dev.waitdaemon.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the credentials for one registry from a Docker config.json: its {@code auths} entry with
 * {@code auth} (base64 of user:password), {@code username}/{@code password} or {@code identitytoken}.
 * A credential helper (credsStore, credHelpers) is a program on the machine that wrote the file and
 * cannot run inside the action: when it is the only source, that is said rather than ignored.
 */
final class DockerConfigFile {

    private DockerConfigFile() {
    }

    static Optional<RegistryCredentials> credentialsFor(JsonNode root, RegistryHost registry, String file)
        throws CredentialException {
        if (!root.isObject()) {
            throw new CredentialException(file + " is not a Docker config.json (not a JSON object)", fixTheFile(file));
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = root.path("auths").fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!RegistryHost.normalised(entry.getKey()).equals(registry)) {
                continue;
            }
            Optional<RegistryCredentials> found = fromEntry(entry.getValue(), registry, file, entry.getKey());
            if (found.isPresent()) {
                return found;
            }
        }
        Optional<String> helper = helperFor(root, registry);
        if (helper.isPresent()) {
            throw new CredentialException(file + " leaves the credentials for " + registry.display()
                + " to the credential helper docker-credential-" + helper.get() + ", which cannot run inside the action",
                "put them in the file's auths (\"auth\": base64 of user:password), or set REGISTRY_USERNAME and "
                    + "REGISTRY_PASSWORD in the action's environment");
        }
        return Optional.empty();
    }

    private static Optional<RegistryCredentials> fromEntry(JsonNode entry, RegistryHost registry, String file, String key)
        throws CredentialException {
        String source = file;
        if (!entry.path("identitytoken").asText("").isEmpty()) {
            return Optional.of(RegistryCredentials.identityToken(registry, entry.path("identitytoken").asText(), source));
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new CredentialException(file + ": the auth of " + key + " is not base64", fixTheFile(file));
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new CredentialException(file + ": the auth of " + key + " is not base64 of user:password",
                    fixTheFile(file));
            }
            return Optional.of(RegistryCredentials.password(registry, decoded.substring(0, colon),
                decoded.substring(colon + 1), source));
        }
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!username.isEmpty() && !password.isEmpty()) {
            return Optional.of(RegistryCredentials.password(registry, username, password, source));
        }
        return Optional.empty();
    }

    private static Optional<String> helperFor(JsonNode root, RegistryHost registry) {
        for (Iterator<Map.Entry<String, JsonNode>> helpers = root.path("credHelpers").fields(); helpers.hasNext(); ) {
            Map.Entry<String, JsonNode> helper = helpers.next();
            if (RegistryHost.normalised(helper.getKey()).equals(registry) && !helper.getValue().asText("").isEmpty()) {
                return Optional.of(helper.getValue().asText());
            }
        }
        String store = root.path("credsStore").asText("");
        return store.isEmpty() ? Optional.empty() : Optional.of(store);
    }

    private static String fixTheFile(String file) {
        return "fix " + file + " (Docker's format: {\"auths\": {\"registry\": {\"auth\": \"base64 of user:password\"}}}), "
            + "or remove it and set REGISTRY_USERNAME and REGISTRY_PASSWORD";
    }
}
