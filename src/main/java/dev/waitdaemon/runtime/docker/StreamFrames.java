package dev.waitdaemon.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A container's output as the Engine API sends it: raw for a container with a TTY, otherwise docker's
 * multiplexed frames (one byte stream id, three zero bytes, a big-endian length, then the payload).
 */
final class StreamFrames {

    private static final int HEADER = 8;

    private StreamFrames() {
    }

    static String text(byte[] stream) {
        if (!multiplexed(stream)) {
            return new String(stream, StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream(stream.length);
        int at = 0;
        while (at + HEADER <= stream.length) {
            int length = ((stream[at + 4] & 0xff) << 24) | ((stream[at + 5] & 0xff) << 16)
                | ((stream[at + 6] & 0xff) << 8) | (stream[at + 7] & 0xff);
            int start = at + HEADER;
            int end = (int) Math.min((long) start + length, stream.length);
            payload.write(stream, start, end - start);
            at = end;
        }
        return payload.toString(StandardCharsets.UTF_8);
    }

    /** Frames start with stream 0, 1 or 2 and three zero bytes, which text almost never does. */
    private static boolean multiplexed(byte[] stream) {
        return stream.length >= HEADER && stream[0] >= 0 && stream[0] <= 2 && stream[1] == 0 && stream[2] == 0
            && stream[3] == 0;
    }
}
