package dev.waitdaemon.runtime.containerd;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Names no other process will choose: container ids, stream names, probes. */
final class RandomHex {

    private RandomHex() {
    }

    /** {@code bytes} random bytes in hex. */
    static String of(int bytes) {
        byte[] random = new byte[bytes];
        // A generator per call: one held in a static field would be made when the native image is built.
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
