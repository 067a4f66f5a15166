package dev.waitdaemon.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * Smee's syslog receiver for the tests on the host's engines: a UDP socket on the host's loopback that keeps
 * every datagram it gets, in order. (A test machine has its own, machine.sh's, writing to /machine/syslog.log.)
 */
public final class SmeeStandIn implements AutoCloseable {

    private final DatagramSocket socket;
    private final StringBuilder received = new StringBuilder();
    private final Thread receiver;

    public SmeeStandIn() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        receiver = new Thread(this::receive, "smee-stand-in");
        receiver.setDaemon(true);
        receiver.start();
    }

    /** The address as an action on the host's network reaches it. */
    public String address() {
        return "udp://127.0.0.1:" + socket.getLocalPort();
    }

    private void receive() {
        byte[] buffer = new byte[64 * 1024];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException closed) {
                return;
            }
            synchronized (received) {
                received.append(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            }
        }
    }

    /** Every datagram so far, one after the other (each begins with its priority, {@code <NN>}). */
    public String received() {
        synchronized (received) {
            return received.toString();
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
