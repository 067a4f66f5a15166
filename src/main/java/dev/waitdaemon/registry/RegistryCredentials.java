package dev.waitdaemon.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Credentials for one registry, as Docker knows them: a user name and password, or an identity token.
 * Rendered only by the two methods that say what they render, for the engine that pulls; toString
 * hides the secret, so a log line or message that names these credentials leaks nothing.
 */
public final class RegistryCredentials {

    private final RegistryHost registry;
    private final String username;
    private final String password;
    private final String identityToken;
    private final String source;

    private RegistryCredentials(RegistryHost registry, String username, String password, String identityToken,
                                String source) {
        this.registry = registry;
        this.username = username;
        this.password = password;
        this.identityToken = identityToken;
        this.source = source;
    }

    public static RegistryCredentials password(RegistryHost registry, String username, String password, String source) {
        return new RegistryCredentials(registry, username, password, null, source);
    }

    public static RegistryCredentials identityToken(RegistryHost registry, String token, String source) {
        return new RegistryCredentials(registry, null, null, token, source);
    }

    public RegistryHost registry() {
        return registry;
    }

    /** Where they came from, for the log: the variables' names or the file's path. */
    public String source() {
        return source;
    }

    /** The Engine API's X-Registry-Auth header: base64url of the JSON AuthConfig (dockerd and podman). */
    public String engineAuthHeader() {
        ObjectNode auth = JsonNodeFactory.instance.objectNode();
        if (identityToken != null) {
            auth.put("identitytoken", identityToken);
        } else {
            auth.put("username", username).put("password", password);
        }
        auth.put("serveraddress", registry.serverAddress());
        return Base64.getUrlEncoder().encodeToString(auth.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A Docker config.json (and podman auth file) holding only these credentials, for a CLI to read. */
    public String dockerConfigJson() {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        if (identityToken != null) {
            entry.put("identitytoken", identityToken);
        } else {
            entry.put("auth", Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("auths").set(registry.serverAddress(), entry);
        return root.toString();
    }

    /**
     * For containerd's transfer service, which asks for credentials on a stream of its own: the user and
     * password, or the identity token as the refresh token it is.
     */
    public <R> R forContainerd(BiFunction<String, String, R> userAndPassword, Function<String, R> refreshToken) {
        return identityToken != null ? refreshToken.apply(identityToken) : userAndPassword.apply(username, password);
    }

    @Override
    public String toString() {
        return "credentials for " + registry.display() + " from " + source
            + (identityToken != null ? " (identity token hidden)" : " (user " + username + ", password hidden)");
    }
}
