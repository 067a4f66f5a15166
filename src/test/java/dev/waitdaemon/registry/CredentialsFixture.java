package dev.waitdaemon.registry;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.FakeConfig;

/** Credential sources for tests of the phases. */
public final class CredentialsFixture {

    private CredentialsFixture() {
    }

    /** No variables and no config.json: anonymous pulls. */
    public static CredentialSource none() {
        return from(Path.of("/nonexistent/config.json"));
    }

    /** The action's environment as given, and the config.json at {@code file} when it exists. */
    public static CredentialSource from(Path file, String... env) {
        return new CredentialSource(FakeConfig.with(env), new ObjectMapper(), file);
    }
}
