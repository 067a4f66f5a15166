package dev.waitdaemon.config;

import java.net.URI;
import java.util.Locale;

/**
 * Where the clone reports to Smee: WAITDAEMON_SYSLOG unset means the kernel command line's
 * {@code syslog_host} (as Smee boots the OSIE), {@code off} nothing, {@code udp://host[:port]} that address.
 */
public sealed interface SyslogChoice {

    /** Smee's syslog port. */
    int DEFAULT_PORT = 514;

    /** The address the kernel command line names, if any. */
    record FromKernel() implements SyslogChoice {
    }

    record Off() implements SyslogChoice {
    }

    record Address(String host, int port) implements SyslogChoice {
        @Override
        public String toString() {
            return "udp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static SyslogChoice parse(String text) throws IllegalArgumentException {
        String value = text.trim();
        if (value.toLowerCase(Locale.ROOT).equals("off")) {
            return new Off();
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("use udp://host:port, e.g. udp://10.0.2.2:514, or off");
        }
        if (!"udp".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
            || uri.getQuery() != null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("use udp://host:port, e.g. udp://10.0.2.2:514, or off");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Address(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
    }
}
