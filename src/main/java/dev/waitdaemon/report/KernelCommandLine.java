package dev.waitdaemon.report;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.waitdaemon.config.SyslogChoice;

/**
 * What Smee's iPXE script tells the OSIE's kernel, and every process reads in /proc/cmdline (containers
 * included): {@code syslog_host=<address>[:<port>]}, {@code worker_id=<id>}, {@code hw_addr=<mac>}.
 */
public record KernelCommandLine(Optional<String> syslogHost, Optional<String> workerId, Optional<String> hwAddr) {

    public static final KernelCommandLine NONE = new KernelCommandLine(Optional.empty(), Optional.empty(), Optional.empty());

    /** The parameters of a command line (words separated by spaces; the last of a repeated one counts). */
    public static KernelCommandLine parse(String text) {
        Map<String, String> parameters = new HashMap<>();
        for (String word : text.trim().split("\\s+")) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                String value = word.substring(equals + 1);
                // The kernel takes "a=b c" quoted as one parameter; its quotes are not the value's.
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                parameters.put(word.substring(0, equals), value);
            }
        }
        return new KernelCommandLine(present(parameters.get("syslog_host")), present(parameters.get("worker_id")),
            present(parameters.get("hw_addr")));
    }

    private static Optional<String> present(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /**
     * {@code syslog_host} as an address: {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6
     * address, on Smee's port 514 unless it names one. Empty when absent; a value that is none of these
     * throws, naming it.
     */
    public Optional<SyslogChoice.Address> syslogAddress() throws IllegalArgumentException {
        if (syslogHost.isEmpty()) {
            return Optional.empty();
        }
        String value = syslogHost.get();
        String host = value;
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 < value.length() && value.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("syslog_host=" + value + " is not an address");
            }
            host = value.substring(1, close);
            port = close + 1 < value.length() ? value.substring(close + 2) : null;
        } else if (value.indexOf(':') == value.lastIndexOf(':') && value.contains(":")) {
            host = value.substring(0, value.indexOf(':'));
            port = value.substring(value.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("syslog_host=" + value + " names no host");
        }
        int number = SyslogChoice.DEFAULT_PORT;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65_535) {
                throw new IllegalArgumentException("syslog_host=" + value + " names no port from 1 to 65535");
            }
        }
        return Optional.of(new SyslogChoice.Address(host, number));
    }

    /** How the machine is named in a report: its MAC (hw_addr), else its worker id; "-" (none) otherwise. */
    public String machineName() {
        return hwAddr.or(() -> workerId).filter(KernelCommandLine::printable).orElse("-");
    }

    /** RFC 5424's HOSTNAME: printable US-ASCII, no spaces, at most 255 characters. */
    private static boolean printable(String name) {
        return name.length() <= 255 && name.chars().allMatch(c -> c > 32 && c < 127);
    }
}
