package dev.waitdaemon.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class OutputTailTest {

    @Test
    void keepsEverythingUpToTheBoundThenOnlyTheLastBytes() {
        OutputTail tail = new OutputTail(8);
        tail.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
        assertThat(tail.text()).isEqualTo("abc");
        assertThat(tail.dropped()).isZero();

        tail.write("defghij".getBytes(StandardCharsets.UTF_8), 0, 7);
        tail.write('k');
        assertThat(tail.text()).isEqualTo("defghijk");
        assertThat(tail.dropped()).isEqualTo(3);

        byte[] long_ = "0123456789xyz".getBytes(StandardCharsets.UTF_8);
        tail.write(long_, 2, 11);
        assertThat(tail.text()).as("one write longer than the bound").isEqualTo("56789xyz");
    }
}
