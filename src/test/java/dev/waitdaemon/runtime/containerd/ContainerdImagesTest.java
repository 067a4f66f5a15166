package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.runtime.EngineException;

class ContainerdImagesTest {

    private static final String INDEX = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:arm","size":1,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:amd","size":1,"platform":{"os":"linux","architecture":"amd64"}}]}
        """;
    private static final String MANIFEST = """
        {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:config","size":1},"layers":[]}
        """;
    private static final String CONFIG = """
        {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Entrypoint":["/init"],"Cmd":["run"],"WorkingDir":"/w"},
         "rootfs":{"type":"layers","diff_ids":["sha256:aaaa","sha256:bbbb"]}}
        """;

    /** A content store with these blobs, and one image record naming {@code target}. */
    private static ContainerdApi store(String mediaType, String target, Map<String, String> blobs) {
        return new UnansweringContainerdApi() {
            @Override
            public ContainerdModel.Image image(String name) {
                return new ContainerdModel.Image(name, new ContainerdModel.Descriptor(mediaType, target, 1));
            }

            @Override
            public byte[] blob(String digest, int limit) {
                String blob = blobs.get(digest);
                if (blob == null) {
                    throw new EngineException.NotFound("blob " + digest + ": not found");
                }
                return blob.getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    @Test
    void anIndexLeadsToThisPlatformsManifestAndItsConfig() {
        ContainerdApi api = store("application/vnd.oci.image.index.v1+json", "sha256:index",
            Map.of("sha256:index", INDEX, "sha256:amd", MANIFEST, "sha256:config", CONFIG));

        ContainerdImages.ImageConfig config = ContainerdImages.config(api, "r/i:1", "amd64");

        assertThat(config.manifestDigest()).isEqualTo("sha256:amd");
        assertThat(config.configDigest()).isEqualTo("sha256:config");
        assertThat(config.env()).containsExactly("PATH=/bin");
        assertThat(config.entrypoint()).containsExactly("/init");
        assertThat(config.cmd()).containsExactly("run");
        assertThat(config.diffIds()).containsExactly("sha256:aaaa", "sha256:bbbb");
    }

    @Test
    void aPlatformTheIndexLacksIsNamed() {
        ContainerdApi api = store("application/vnd.oci.image.index.v1+json", "sha256:index", Map.of("sha256:index", INDEX));

        assertThatThrownBy(() -> ContainerdImages.config(api, "r/i:1", "riscv64"))
            .isInstanceOf(EngineException.class).hasMessage("image r/i:1 has no linux/riscv64 manifest");
    }

    @Test
    void aSingleManifestIsReadAsItIs() {
        ContainerdApi api = store("application/vnd.docker.distribution.manifest.v2+json", "sha256:amd",
            Map.of("sha256:amd", MANIFEST, "sha256:config", CONFIG));

        assertThat(ContainerdImages.config(api, "r/i:1", "arm64").configDigest()).isEqualTo("sha256:config");
    }

    /** The OCI image spec's ChainID; the IT checks it against the snapshot containerd itself unpacked. */
    @Test
    void theChainIdChainsTheLayersFromTheBottom() {
        assertThat(ContainerdImages.chainId(List.of())).isEmpty();
        assertThat(ContainerdImages.chainId(List.of("sha256:aaaa"))).isEqualTo("sha256:aaaa");
        // sha256("sha256:aaaa sha256:bbbb"), computed with sha256sum
        assertThat(ContainerdImages.chainId(List.of("sha256:aaaa", "sha256:bbbb")))
            .isEqualTo("sha256:2c4d8760379f05d0ad1ed610712309f0114e7345e6e6a351494cff030ffdf197");
    }
}
