package dev.waitdaemon.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.runtime.OutputTail;

class StreamFramesTest {

    private static byte[] frame(int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) stream, 0, 0, 0, 0, 0, (byte) (payload.length >> 8), (byte) payload.length });
        out.writeBytes(payload);
        return out.toByteArray();
    }

    @Test
    void joinsTheFramesOfStdoutAndStderr() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(1, "loading kernel\n"));
        stream.writeBytes(frame(2, "kexec failed: ✗\n"));

        assertThat(StreamFrames.text(stream.toByteArray())).isEqualTo("loading kernel\nkexec failed: ✗\n");
    }

    @Test
    void readsATtysRawOutputAsItIs() {
        assertThat(StreamFrames.text("plain output\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("plain output\n");
        assertThat(StreamFrames.text(new byte[0])).isEmpty();
    }

    /** A frame longer than what is kept (a length field beyond 16 bits too): its end survives, in order. */
    @Test
    void keepsTheEndOfAFrameLongerThanTheBound() throws Exception {
        byte[] line = ("a".repeat(70_000) + "z\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(new byte[] { 1, 0, 0, 0, 0, (byte) (line.length >> 16), (byte) (line.length >> 8), (byte) line.length });
        stream.writeBytes(line);
        stream.writeBytes(frame(2, "last\n"));

        String text = StreamFrames.text(new ByteArrayInputStream(stream.toByteArray()), new OutputTail(1000));

        assertThat(text).hasSize(1000).endsWith("aaz\nlast\n");
    }
}
