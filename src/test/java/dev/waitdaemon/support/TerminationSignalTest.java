package dev.waitdaemon.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import sun.misc.Signal;

class TerminationSignalTest {

    private final TerminationSignal termination = new TerminationSignal();

    @AfterEach
    void noInterruptLeft() {
        Thread.interrupted();
    }

    /** However the watched thread wakes (its interrupt comes first), the signal is already recorded. */
    @Test
    void whenTheWaitEndsTheSignalIsAlreadyRecorded() throws Exception {
        TerminationSignal.Watch watch = termination.interruptOnTerm();
        Thread signaller = new Thread(() -> watch.handle(new Signal("TERM")));
        signaller.start();

        boolean woken;
        try {
            woken = watch.awaitSignal(Duration.ofMinutes(1));
        } catch (InterruptedException interrupted) {
            woken = true;
        }

        assertThat(woken).isTrue();
        assertThat(watch.received()).isTrue();
        watch.close();
        signaller.join();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    /** The stop has been answered: the exit that follows must not meet the signal's interrupt. */
    @Test
    void closingAfterASignalLeavesTheWatchedThreadUninterrupted() {
        TerminationSignal.Watch watch = termination.interruptOnTerm();
        watch.handle(new Signal("TERM"));

        watch.close();

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(watch.received()).isTrue();
    }

    /** Once the target's creation is decided, a stop is noted and interrupts nothing: the creation completes. */
    @Test
    void aSignalWhileHoldingIsRecordedWithoutAnInterrupt() throws Exception {
        try (TerminationSignal.Watch watch = termination.interruptOnTerm()) {
            watch.holdFromNow();
            watch.handle(new Signal("TERM"));

            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(watch.received()).isTrue();
            assertThat(watch.awaitSignal(java.time.Duration.ZERO)).isTrue();
        }
    }

    @Test
    void withoutASignalCloseLeavesAnInterruptThatIsNotItsOwn() {
        TerminationSignal.Watch watch = termination.interruptOnTerm();
        Thread.currentThread().interrupt();

        watch.close();

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
}
