package dev.waitdaemon.runtime;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last bytes written to it, never more than a bound: what a CLI or a container printed is kept this
 * way, so that a target printing one huge line cannot fill the clone's heap (a log tail is still one line).
 */
public final class OutputTail extends OutputStream {

    /** Far more than any inspect or log tail that waitdaemon reads, and small beside any heap. */
    public static final int DEFAULT_LIMIT = 8 * 1024 * 1024;

    private final byte[] ring;
    private long written;

    public OutputTail() {
        this(DEFAULT_LIMIT);
    }

    public OutputTail(int limit) {
        this.ring = new byte[limit];
    }

    @Override
    public synchronized void write(int b) {
        ring[(int) (written % ring.length)] = (byte) b;
        written++;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        // Only the last ring.length bytes of this write can survive it.
        int skip = Math.max(0, length - ring.length);
        written += skip;
        for (int i = offset + skip; i < offset + length;) {
            int at = (int) (written % ring.length);
            int chunk = Math.min(offset + length - i, ring.length - at);
            System.arraycopy(bytes, i, ring, at, chunk);
            i += chunk;
            written += chunk;
        }
    }

    /** How many bytes were written and are no longer kept. */
    public synchronized long dropped() {
        return Math.max(0, written - ring.length);
    }

    public synchronized byte[] bytes() {
        int kept = (int) Math.min(written, ring.length);
        byte[] result = new byte[kept];
        int start = (int) ((written - kept) % ring.length);
        int first = Math.min(kept, ring.length - start);
        System.arraycopy(ring, start, result, 0, first);
        System.arraycopy(ring, 0, result, first, kept - first);
        return result;
    }

    /** The kept bytes as UTF-8 (a character cut at the start becomes U+FFFD). */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
