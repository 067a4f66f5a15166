package dev.waitdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.support.EngineCli;
import dev.waitdaemon.support.HostCommand;
import dev.waitdaemon.support.TestRegistries;

/**
 * What the release does to every image it pushes, and what an operator checks (src/scripts/sign.sh, with
 * Debian's cosign): a signature of the digest and the build's SBOM as a signed CycloneDX attestation, here
 * with a generated key against the tests' loopback registry (the release signs keyless, with the
 * workflow's identity, which only a runner has).
 */
class SignatureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SBOM = Path.of("target", "waitdaemon-sbom.json");
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final String password = "key-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));

    private EngineCli.Result sign(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", "src/scripts/sign.sh"));
        command.addAll(List.of(args));
        ProcessBuilder process = new ProcessBuilder(command);
        // The key's password in the environment only, never an argument.
        process.environment().put("COSIGN_PASSWORD", password);
        return HostCommand.run(LIMIT, process);
    }

    private Path keyPair(Path folder) {
        EngineCli.Result made = sign("key-pair", folder.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        return folder;
    }

    @Test
    void aSignedImageAndItsSbomVerifyWithItsKeyAndWithNoOther(@TempDir Path keys, @TempDir Path otherKeys) throws IOException {
        String tagged = TestRegistries.pushToOpen(ActionContractIT.WAITDAEMON_NATIVE, "waitdaemon-signed");
        String pinned = tagged.substring(0, tagged.lastIndexOf(':')) + "@" + TestRegistries.digestOf(tagged);
        keyPair(keys);
        keyPair(otherKeys);

        EngineCli.Result signed = sign("sign", pinned, SBOM.toString(), "--key", keys.resolve("cosign.key").toString());

        assertThat(signed.exitCode()).as(signed.err()).isZero();
        assertThat(signed.out() + signed.err()).doesNotContain(password);
        EngineCli.Result verified = sign("verify", pinned, "--key", keys.resolve("cosign.pub").toString());
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        // The attestation: an in-toto statement about this very digest, whose predicate is the build's SBOM.
        JsonNode statement = JSON.readTree(Base64.getDecoder().decode(JSON.readTree(verified.out().lines().findFirst().orElseThrow())
            .path("payload").asText()));
        assertThat(statement.path("predicateType").asText()).isEqualTo("https://cyclonedx.org/bom");
        assertThat(statement.at("/subject/0/digest/sha256").asText()).isEqualTo(pinned.substring(pinned.indexOf("sha256:") + 7));
        assertThat(components(statement.path("predicate"))).isNotEmpty().isEqualTo(components(JSON.readTree(SBOM.toFile())));

        EngineCli.Result otherKey = sign("verify", pinned, "--key", otherKeys.resolve("cosign.pub").toString());
        assertThat(otherKey.exitCode()).as("another key's signature").isNotZero();
    }

    @Test
    void anImageNobodySignedDoesNotVerify(@TempDir Path keys) throws IOException {
        String tagged = TestRegistries.pushToOpen(ActionContractIT.BUSYBOX, "waitdaemon-unsigned");
        String pinned = tagged.substring(0, tagged.lastIndexOf(':')) + "@" + TestRegistries.digestOf(tagged);
        keyPair(keys);

        EngineCli.Result verified = sign("verify", pinned, "--key", keys.resolve("cosign.pub").toString());

        assertThat(verified.exitCode()).isNotZero();
        assertThat(verified.err()).contains("no signatures found");
    }

    /** A tag can move after it was signed: only a digest is signed or verified. */
    @Test
    void aTagIsRefusedNamingTheDigestToUse() {
        EngineCli.Result refused = sign("verify", TestRegistries.open() + "/waitdaemon:latest", "--key", "cosign.pub");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("names no digest: sign and verify IMAGE@sha256:…, never a tag");
    }

    private static TreeSet<String> components(JsonNode bom) {
        TreeSet<String> names = new TreeSet<>();
        bom.path("components").forEach(component -> names.add(component.path("purl").asText()));
        return names;
    }
}
