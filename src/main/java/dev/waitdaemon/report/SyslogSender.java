package dev.waitdaemon.report;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.waitdaemon.config.SyslogChoice;

/**
 * Sends datagrams to one syslog address from a thread of its own, so that no caller ever waits: not for a
 * name to resolve, not for the network. What cannot be sent is dropped; the first problem is one warning in
 * the local log (on a logger whose events are never sent), and the address is not tried again after it
 * failed to resolve.
 */
final class SyslogSender implements AutoCloseable {

    /** Outside the "waitdaemon" logger, whose events are the ones sent. */
    private static final Logger LOG = Logger.getLogger(SyslogSender.class);
    private static final int QUEUED = 256;
    private static final byte[] END = new byte[0];

    private final SyslogChoice.Address address;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;
    private volatile boolean warned;

    SyslogSender(SyslogChoice.Address address) {
        this.address = address;
        this.thread = new Thread(this::sendAll, "syslog-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the datagram; never blocks: a full queue drops it. */
    void send(byte[] datagram) {
        if (!queue.offer(datagram)) {
            warnOnce("reports to Smee are dropped: " + QUEUED + " are waiting to be sent to " + address);
        }
    }

    private void sendAll() {
        InetAddress host;
        try {
            host = InetAddress.getByName(address.host());
        } catch (UnknownHostException | SecurityException e) {
            warnOnce("no reports to Smee: " + address.host() + " does not resolve (" + e.getMessage() + ")");
            drainUntilEnd();
            return;
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            while (true) {
                byte[] datagram = queue.take();
                if (datagram == END) {
                    return;
                }
                try {
                    socket.send(new DatagramPacket(datagram, datagram.length, host, address.port()));
                } catch (IOException e) {
                    warnOnce("a report to Smee at " + address + " could not be sent: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            warnOnce("no reports to Smee: no UDP socket (" + e.getMessage() + ")");
            drainUntilEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainUntilEnd() {
        try {
            while (queue.take() != END) {
                // dropped: the address cannot be reached
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void warnOnce(String message) {
        if (!warned) {
            warned = true;
            LOG.warn(message);
        }
    }

    /** Sends what is queued, waiting at most {@code limit}, then stops. */
    void close(Duration limit) {
        try {
            if (queue.offer(END, limit.toMillis(), TimeUnit.MILLISECONDS)) {
                thread.join(limit.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
