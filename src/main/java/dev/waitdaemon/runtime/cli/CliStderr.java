package dev.waitdaemon.runtime.cli;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a CLI wrote on stderr, read the way that CLI writes it, for the one thing a caller needs: what
 * it said went wrong. Pipes, never a terminal: the runner gives the CLI no tty.
 * <ul>
 * <li>nerdctl (2.2.1, captured in the test fixtures) logs through logrus: one line per diagnostic,
 * {@code time="…" level=fatal msg="1 errors:\nno such container: x"}, where {@code msg} is a Go-quoted
 * string (the {@code \n} there is a backslash and an n). Warnings and info lines come before the fatal
 * one, and {@code level=error} is printed by calls that still exit 0: the reason is the message of the
 * last {@code level=fatal} line.</li>
 * <li>docker and podman print their error, then often a hint ({@code See 'docker create --help'.},
 * {@code Run 'docker create --help' for more information}): the reason is the last line that is not
 * such a hint.</li>
 * </ul>
 */
record CliStderr(CliDialect dialect, String text) {

    /** key="quoted" or key=bare, as logrus's text formatter writes its fields. */
    private static final Pattern LOGRUS_FIELD = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
    private static final Pattern HELP_HINT = Pattern.compile("^(?:See|Run) '[^']*--help'.*");
    /** logrus wraps a multi-target failure as "N errors:" on a line of its own. */
    private static final Pattern ERROR_COUNT = Pattern.compile("^\\d+ errors?:$");

    /** The CLI's own message, with its line breaks; "" when it wrote nothing. */
    String message() {
        if (dialect == CliDialect.NERDCTL) {
            Optional<String> fatal = lastFatal();
            if (fatal.isPresent()) {
                return fatal.get();
            }
        }
        List<String> lines = text.strip().lines().map(String::strip)
            .filter(line -> !line.isEmpty() && !HELP_HINT.matcher(line).matches()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** {@link #message()} on one line, for an error message or a log event. */
    String reason() {
        return String.join("; ", message().lines().map(String::strip)
            .filter(line -> !line.isEmpty() && !ERROR_COUNT.matcher(line).matches()).toList());
    }

    private Optional<String> lastFatal() {
        Optional<String> found = Optional.empty();
        for (String line : text.split("\n")) {
            Matcher field = LOGRUS_FIELD.matcher(line);
            String level = null;
            String msg = null;
            while (field.find()) {
                switch (field.group(1)) {
                    case "level" -> level = level == null ? field.group(2) : level;
                    case "msg" -> msg = msg == null ? unquote(field.group(2)) : msg;
                    default -> { }
                }
            }
            if ("fatal".equals(level) && msg != null) {
                found = Optional.of(msg);
            }
        }
        return found;
    }

    /** A Go-quoted string (strconv.Quote) back to its text; a bare value as it is. */
    static String unquote(String value) {
        if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
            return value;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c != '\\' || i + 1 >= value.length() - 1) {
                text.append(c);
                continue;
            }
            char escaped = value.charAt(++i);
            switch (escaped) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'a' -> text.append('\u0007');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'v' -> text.append('\u000b');
                case 'x' -> i = appendCode(text, value, i, 2);
                case 'u' -> i = appendCode(text, value, i, 4);
                case 'U' -> i = appendCode(text, value, i, 8);
                default -> text.append(escaped);
            }
        }
        return text.toString();
    }

    /** \xHH, \\uHHHH or \UHHHHHHHH at {@code at} (the escape's letter); the index of its last digit. */
    private static int appendCode(StringBuilder text, String value, int at, int digits) {
        int end = at + 1 + digits;
        if (end > value.length() - 1) {
            text.append(value, at, value.length() - 1);
            return value.length() - 2;
        }
        try {
            text.appendCodePoint(Integer.parseInt(value.substring(at + 1, end), 16));
        } catch (IllegalArgumentException notACode) {
            text.append(value, at, end);
        }
        return end - 1;
    }
}
