package dev.waitdaemon.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.waitdaemon.config.Settings;
import dev.waitdaemon.config.SyslogChoice;
import dev.waitdaemon.runtime.ProcessFacts;

/**
 * The clone's events, sent to Smee's syslog receiver: the agent reported success long before, and on CaptainOS
 * and IPA nothing forwards a clone's own output off the machine. The address is WAITDAEMON_SYSLOG, else the
 * kernel command line's {@code syslog_host}; the machine is named by its {@code hw_addr} (or {@code worker_id}).
 * Until the clone knows its own log driver, its events wait: where the engine already sends the clone's output
 * to syslog (HookOS's Docker), nothing is sent twice. Sending never blocks or fails the clone.
 */
@ApplicationScoped
public class SmeeReports {

    /** The logger of waitdaemon's events ({@code EventLog}). */
    static final String EVENTS = "waitdaemon";
    private static final Logger LOG = Logger.getLogger(SmeeReports.class);
    private static final Path CMDLINE = Path.of("/proc/cmdline");
    /** Events kept while the log driver is not known yet: the clone's first few. */
    private static final int KEPT = 64;

    private enum State { WAITING, SENDING, OFF }

    private final ObjectMapper json = new ObjectMapper();
    private final Object lock = new Object();
    private final List<byte[]> waiting = new ArrayList<>();
    private State state = State.OFF;
    private SyslogSender sender;
    private Handler handler;
    private KernelCommandLine machine = KernelCommandLine.NONE;

    /**
     * Starts catching the clone's events where there is an address to send them to; they wait for
     * {@link #ownLogDriver} (or {@link #sendWaiting}).
     */
    public void start(Settings settings) {
        start(settings.syslog(), ProcessFacts.read(CMDLINE).map(KernelCommandLine::parse).orElse(KernelCommandLine.NONE));
    }

    void start(SyslogChoice choice, KernelCommandLine commandLine) {
        machine = commandLine;
        Optional<SyslogChoice.Address> address;
        if (choice instanceof SyslogChoice.Off) {
            return;
        } else if (choice instanceof SyslogChoice.Address given) {
            address = Optional.of(given);
        } else {
            try {
                address = commandLine.syslogAddress();
            } catch (IllegalArgumentException e) {
                LOG.warn("no reports to Smee: " + e.getMessage());
                return;
            }
        }
        if (address.isEmpty()) {
            return;
        }
        synchronized (lock) {
            sender = new SyslogSender(address.get());
            state = State.WAITING;
        }
        handler = new EventHandler();
        java.util.logging.Logger.getLogger(EVENTS).addHandler(handler);
    }

    /**
     * The clone's own log driver, as its engine reports it: {@code syslog} already forwards every event (HookOS),
     * anything else does not, and what waited is sent.
     */
    public void ownLogDriver(String driver) {
        synchronized (lock) {
            if (state != State.WAITING) {
                return;
            }
            if ("syslog".equals(driver)) {
                state = State.OFF;
                waiting.clear();
                LOG.debug("the engine's syslog log driver forwards the clone's events: none sent by the clone");
                return;
            }
        }
        sendWaiting();
    }

    /** Sends what waited and everything after it: the clone failed before it knew its log driver. */
    public void sendWaiting() {
        synchronized (lock) {
            if (state != State.WAITING) {
                return;
            }
            state = State.SENDING;
            waiting.forEach(sender::send);
            waiting.clear();
        }
    }

    /** Stops catching events and sends what is queued, within a bound. */
    public void close() {
        if (handler != null) {
            java.util.logging.Logger.getLogger(EVENTS).removeHandler(handler);
            handler = null;
        }
        SyslogSender closing;
        synchronized (lock) {
            closing = sender;
            sender = null;
            state = State.OFF;
            waiting.clear();
        }
        if (closing != null) {
            closing.close();
        }
    }

    private void accept(LogRecord record) {
        byte[] datagram = datagram(record);
        synchronized (lock) {
            switch (state) {
                case WAITING -> {
                    if (waiting.size() < KEPT) {
                        waiting.add(datagram);
                    }
                }
                case SENDING -> sender.send(datagram);
                case OFF -> {
                }
            }
        }
    }

    /** The event as the image's log has it (time, level, message, the run's and the event's fields), and the machine. */
    byte[] datagram(LogRecord record) {
        ObjectNode event = json.createObjectNode();
        Instant time = record.getInstant();
        event.put("timestamp", time.toString());
        event.put("level", record.getLevel().getName());
        event.put("message", record.getMessage());
        Map<String, String> fields = record instanceof ExtLogRecord ext ? ext.getMdcCopy() : Map.of();
        ObjectNode mdc = event.putObject("mdc");
        fields.forEach(mdc::put);
        machine.workerId().ifPresent(id -> event.put("workerId", id));
        machine.hwAddr().ifPresent(mac -> event.put("hwAddr", mac));
        return SyslogMessage.datagram(time, machine.machineName(), ProcessHandle.current().pid(),
            fields.getOrDefault("phase", "-"), event);
    }

    /** Every event of the "waitdaemon" logger, while reports are on. */
    private final class EventHandler extends Handler {
        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                accept(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
