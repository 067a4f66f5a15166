package dev.waitdaemon.support;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One log line per event. The run's context (phase, image, runtime) and each event's own fields
 * (container ids, durations) travel as MDC entries, so the JSON formatter in the image prints them as
 * fields and the dev-mode console shows them beside the message.
 */
@ApplicationScoped
public class EventLog {

    private static final Logger LOG = Logger.getLogger("waitdaemon");

    /** Fields every later event carries. */
    public void context(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, String.valueOf(value));
        }
    }

    public void info(String event, Object... fields) {
        log(Logger.Level.INFO, event, fields);
    }

    public void warn(String event, Object... fields) {
        log(Logger.Level.WARN, event, fields);
    }

    public void error(String event, Object... fields) {
        log(Logger.Level.ERROR, event, fields);
    }

    /** {@code fields} alternate name and value; null values are left out. */
    private static void log(Logger.Level level, String event, Object... fields) {
        List<String> added = new ArrayList<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            String key = String.valueOf(fields[i]);
            if (fields[i + 1] != null && MDC.get(key) == null) {
                MDC.put(key, String.valueOf(fields[i + 1]));
                added.add(key);
            }
        }
        try {
            LOG.log(level, event);
        } finally {
            added.forEach(MDC::remove);
        }
    }
}
