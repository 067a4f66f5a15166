package dev.waitdaemon.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM as something a phase can answer rather than the JVM's abrupt end: {@code docker stop} or a
 * shutdown during the clone's wait must leave one event saying the target was not started, and an exit
 * code of waitdaemon's own. Outside a watch the JVM's own handling stands.
 */
@ApplicationScoped
public class TerminationSignal {

    private static final Signal TERM = new Signal("TERM");
    /**
     * A SIGTERM that came before any watch opened (the JVM's or Quarkus's start, the validation). Static:
     * it is recorded from main's first moment, before there is a CDI container to hold it.
     */
    private static final AtomicBoolean BEFORE_THE_WATCH = new AtomicBoolean();
    private static volatile SignalHandler beforeRecording;
    private static final SignalHandler RECORDER = signal -> BEFORE_THE_WATCH.set(true);

    /**
     * From the process's first moment (the clone phase): a SIGTERM is recorded, and the watch that opens
     * next answers it (the image sets DISABLE_SIGNAL_HANDLERS, so Quarkus's start keeps this handler).
     */
    public static void recordFromStart() {
        beforeRecording = Signal.handle(TERM, RECORDER);
    }

    /** Until the watch is closed, SIGTERM interrupts the calling thread instead of ending the process. */
    public Watch interruptOnTerm() {
        Watch watch = new Watch(Thread.currentThread(), false);
        SignalHandler replaced = Signal.handle(TERM, watch);
        watch.previous = replaced == RECORDER && beforeRecording != null ? beforeRecording : replaced;
        if (BEFORE_THE_WATCH.getAndSet(false)) {
            watch.handle(TERM);
        }
        return watch;
    }

    public static final class Watch implements SignalHandler, AutoCloseable {

        /** For a phase that leaves SIGTERM to the JVM (the first fork): never installed, never receives. */
        public static final Watch NONE = new Watch(null, true);

        private final Thread watched;
        private final CountDownLatch signalled = new CountDownLatch(1);
        private volatile boolean received;
        private volatile boolean holding;
        private SignalHandler previous;
        private boolean closed;

        private Watch(Thread watched, boolean closed) {
            this.watched = watched;
            this.closed = closed;
        }

        /**
         * In this order: whichever wakes the watched thread (the interrupt or the latch) finds the signal
         * recorded, and the interrupt is set before the latch lets that thread go on, so that
         * {@link #close} finds it to clear.
         */
        @Override
        public void handle(Signal signal) {
            received = true;
            if (!holding) {
                watched.interrupt();
            }
            signalled.countDown();
        }

        /**
         * From now on a SIGTERM is only recorded, never an interrupt: the decision to create the target is
         * made, and its creation must neither be cut short (in host mode only nsenter would die, and the CLI
         * would go on creating) nor left to the JVM's exit. A caller checks {@link #received} right after:
         * whichever of the two runs first, the signal is seen there or it interrupts nothing.
         */
        public void holdFromNow() {
            holding = true;
        }

        /** Whether SIGTERM arrived while the watch was open. */
        public boolean received() {
            return received;
        }

        /**
         * Waits for {@code duration}, or less if SIGTERM arrives: a wait on the signal itself, which no
         * engine call can take away as it can take a thread's interrupt. True when it arrived.
         */
        public boolean awaitSignal(Duration duration) throws InterruptedException {
            return signalled.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        }

        /**
         * Gives SIGTERM back to the handler it had before; once, however often it is called. On the watched
         * thread, after a signal, also clears the interrupt the signal set: the stop has been answered, and
         * what follows (the exit through Quarkus's shutdown) must not meet it. (A native executable turned
         * such a late interrupt into an uncaught exception and exit 99 instead of 4, once in a few runs.)
         */
        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                Signal.handle(TERM, previous);
            }
            if (received && Thread.currentThread() == watched) {
                Thread.interrupted();
            }
        }
    }
}
