package dev.waitdaemon.runtime.docker;

import java.io.IOException;
import java.io.InputStream;

import dev.waitdaemon.runtime.OutputTail;

/**
 * A container's output as the Engine API sends it: raw for a container with a TTY, otherwise docker's
 * multiplexed frames (one byte stream id, three zero bytes, a big-endian length, then the payload).
 * Read as it arrives, keeping only the last bytes of the payload (one log line can be of any length).
 */
final class StreamFrames {

    private static final int HEADER = 8;
    private static final int CHUNK = 64 * 1024;

    private StreamFrames() {
    }

    static String text(byte[] stream) {
        try {
            return text(new java.io.ByteArrayInputStream(stream), new OutputTail(Math.max(1, stream.length)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(InputStream stream, OutputTail tail) throws IOException {
        byte[] header = stream.readNBytes(HEADER);
        if (!multiplexed(header)) {
            tail.write(header);
            stream.transferTo(tail);
            return tail.text();
        }
        byte[] chunk = new byte[CHUNK];
        while (header.length == HEADER) {
            long length = ((header[4] & 0xffL) << 24) | ((header[5] & 0xffL) << 16) | ((header[6] & 0xffL) << 8)
                | (header[7] & 0xffL);
            while (length > 0) {
                int read = stream.read(chunk, 0, (int) Math.min(chunk.length, length));
                if (read < 0) {
                    return tail.text();
                }
                tail.write(chunk, 0, read);
                length -= read;
            }
            header = stream.readNBytes(HEADER);
        }
        return tail.text();
    }

    /** Frames start with stream 0, 1 or 2 and three zero bytes, which text almost never does. */
    private static boolean multiplexed(byte[] header) {
        return header.length == HEADER && header[0] >= 0 && header[0] <= 2 && header[1] == 0 && header[2] == 0
            && header[3] == 0;
    }
}
