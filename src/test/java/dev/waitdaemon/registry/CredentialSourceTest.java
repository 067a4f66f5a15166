package dev.waitdaemon.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.ImageReference;

/** Where the credentials for IMAGE's registry come from, and how they are handed to an engine. */
class CredentialSourceTest {

    private static final ImageReference PRIVATE = ImageReference.parse("127.0.0.1:5056/private/reboot:1");
    private static final ImageReference HUB = ImageReference.parse("acme/reboot:1");
    private static final String SECRET = "s3cr3t-Pa55";

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path folder;

    private Path config(String content) throws IOException {
        return Files.writeString(folder.resolve("config.json"), content);
    }

    private static String basicAuth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theActionsEnvironmentComesFirstAndIsForImagesRegistry() throws Exception {
        Path file = config("{\"auths\":{\"127.0.0.1:5056\":{\"auth\":\"" + basicAuth("other", "other") + "\"}}}");

        RegistryCredentials found = CredentialsFixture.from(file, "REGISTRY_USERNAME", "tink", "REGISTRY_PASSWORD", SECRET)
            .forImage(PRIVATE).orElseThrow();

        assertThat(found.registry().host()).isEqualTo("127.0.0.1:5056");
        assertThat(found.source()).isEqualTo("REGISTRY_USERNAME/REGISTRY_PASSWORD");
        assertThat(header(found)).containsEntry("username", "tink").containsEntry("password", SECRET)
            .containsEntry("serveraddress", "127.0.0.1:5056");
    }

    @Test
    void aConfigJsonEntryWithAuthUsernamePasswordOrIdentityToken() throws Exception {
        assertThat(header(CredentialsFixture.from(config("{\"auths\":{\"http://127.0.0.1:5056/v2/\":{\"auth\":\""
            + basicAuth("tink", "pa:ss") + "\"}}}")).forImage(PRIVATE).orElseThrow()))
            .containsEntry("username", "tink").containsEntry("password", "pa:ss");
        assertThat(header(CredentialsFixture.from(config("{\"auths\":{\"127.0.0.1:5056\":{\"username\":\"u\",\"password\":\"p\"}}}"))
            .forImage(PRIVATE).orElseThrow())).containsEntry("username", "u").containsEntry("password", "p");
        assertThat(header(CredentialsFixture.from(config("{\"auths\":{\"127.0.0.1:5056\":{\"identitytoken\":\"tok\"}}}"))
            .forImage(PRIVATE).orElseThrow())).containsEntry("identitytoken", "tok").doesNotContainKey("password");
    }

    @Test
    void dockerHubsKeyServesImagesWithoutARegistryPart() throws Exception {
        Path file = config("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + basicAuth("hubuser", "hubpass") + "\"}}}");

        RegistryCredentials found = CredentialsFixture.from(file).forImage(HUB).orElseThrow();

        assertThat(header(found)).containsEntry("serveraddress", "https://index.docker.io/v1/");
        assertThat(CredentialsFixture.from(file).forImage(PRIVATE)).as("never sent to another registry").isEmpty();
    }

    @Test
    void theConfigFolderCanBeNamedByDockerConfig() throws Exception {
        config("{\"auths\":{\"127.0.0.1:5056\":{\"auth\":\"" + basicAuth("u", "p") + "\"}}}");

        assertThat(CredentialsFixture.from(Path.of("/nonexistent/config.json"), "DOCKER_CONFIG", folder.toString())
            .forImage(PRIVATE)).isPresent();
    }

    /** Every credentials file in the action is kept from the clone and the target, not only the one read. */
    @Test
    void everyCredentialsFileThereIsIsListedForTheMasks() throws Exception {
        Path defaultConfig = Files.writeString(folder.resolve("default.json"), "{}");
        Path dockerConfig = Files.createDirectories(folder.resolve("docker-config"));

        assertThat(CredentialsFixture.from(defaultConfig, "DOCKER_CONFIG", dockerConfig.toString()).configFiles())
            .as("a DOCKER_CONFIG without a config.json beside a default one").containsExactly(defaultConfig.toString());
        Files.writeString(dockerConfig.resolve("config.json"), "{}");
        assertThat(CredentialsFixture.from(defaultConfig, "DOCKER_CONFIG", dockerConfig.toString()).configFiles())
            .containsExactly(dockerConfig.resolve("config.json").toString(), defaultConfig.toString());
        assertThat(CredentialsFixture.from(folder.resolve("none.json")).configFiles()).isEmpty();
    }

    @Test
    void aCredentialHelperAsTheOnlySourceIsSaidClearly() throws Exception {
        Path file = config("{\"auths\":{\"127.0.0.1:5056\":{}},\"credsStore\":\"desktop\"}");

        CredentialException failure = catchThrowableOfType(CredentialException.class,
            () -> CredentialsFixture.from(file).forImage(PRIVATE));

        assertThat(failure).hasMessage(file + " leaves the credentials for 127.0.0.1:5056 to the credential helper "
            + "docker-credential-desktop, which cannot run inside the action");
        assertThat(failure.fix()).contains("REGISTRY_USERNAME and REGISTRY_PASSWORD");
        assertThat(catchThrowableOfType(CredentialException.class, () -> CredentialsFixture.from(
            config("{\"credHelpers\":{\"127.0.0.1:5056\":\"ecr-login\"}}")).forImage(PRIVATE)))
            .hasMessageContaining("docker-credential-ecr-login");
    }

    @Test
    void aMalformedFileIsNamedAndItsContentNeverQuoted() throws Exception {
        Path broken = config("{\"auths\": {\"127.0.0.1:5056\": {\"auth\": \"" + SECRET + "\" ");

        CredentialException failure = catchThrowableOfType(CredentialException.class,
            () -> CredentialsFixture.from(broken).forImage(PRIVATE));

        assertThat(failure).hasMessageStartingWith(broken + " is not valid JSON").hasMessageNotContaining(SECRET);
        assertThat(catchThrowableOfType(CredentialException.class, () -> CredentialsFixture.from(
            config("{\"auths\":{\"127.0.0.1:5056\":{\"auth\":\"" + SECRET + "!\"}}}")).forImage(PRIVATE)))
            .hasMessageContaining("is not base64").hasMessageNotContaining(SECRET);
        assertThat(catchThrowableOfType(CredentialException.class, () -> CredentialsFixture.from(config("[]")).forImage(PRIVATE)))
            .hasMessageContaining("not a Docker config.json");
    }

    @Test
    void withNothingGivenThePullIsAnonymous() throws Exception {
        assertThat(CredentialsFixture.none().forImage(PRIVATE)).isEmpty();
    }

    @Test
    void toStringNeverShowsTheSecretAndTheCliFileHoldsOnlyThisRegistry() throws Exception {
        RegistryCredentials found = CredentialsFixture.from(folder.resolve("none.json"),
            "REGISTRY_USERNAME", "tink", "REGISTRY_PASSWORD", SECRET).forImage(PRIVATE).orElseThrow();

        assertThat(found.toString()).contains("127.0.0.1:5056", "tink").doesNotContain(SECRET);
        JsonNode file = json.readTree(found.dockerConfigJson());
        assertThat(file.path("auths").size()).isEqualTo(1);
        assertThat(new String(Base64.getDecoder().decode(file.at("/auths/127.0.0.1:5056/auth").asText()), StandardCharsets.UTF_8))
            .isEqualTo("tink:" + SECRET);
    }

    /** X-Registry-Auth: base64url (no padding issues for the engine) of the JSON AuthConfig. */
    @SuppressWarnings("unchecked")
    private java.util.Map<String, String> header(RegistryCredentials credentials) throws IOException {
        String header = credentials.engineAuthHeader();
        assertThat(header).doesNotContain("+", "/");
        return json.readValue(Base64.getUrlDecoder().decode(header), java.util.Map.class);
    }
}
