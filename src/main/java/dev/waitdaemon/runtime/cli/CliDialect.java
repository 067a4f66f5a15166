package dev.waitdaemon.runtime.cli;

import java.util.Optional;
import java.util.regex.Pattern;

/** The CLIs that share docker's command syntax, and where they differ. */
public enum CliDialect {
    NERDCTL("nerdctl"),
    DOCKER("docker"),
    PODMAN("podman");

    private final String executable;
    /**
     * How this CLI says that an image or container does not exist, in its own words (nothing looser: a
     * "not found" about a missing network or volume is a failure to report, not an absent object).
     * docker 20.10: "Error: No such container: x"; docker 28: "Error response from daemon: No such
     * container: x", "no such image: x:1: No such image: x:1"; podman: "no such container x",
     * "x:1: image not known". nerdctl 2.2.1 (the captured fixtures): its fatal logrus message, unquoted,
     * has a line "no such container: x" or "no such image: x" after "1 errors:", and its logs says
     * "no such container x".
     */
    private final Pattern notFound;

    CliDialect(String executable) {
        this.executable = executable;
        this.notFound = switch (executable) {
            case "docker" -> Pattern.compile("(?i)\\bno such (container|image|object): ");
            case "podman" -> Pattern.compile("\\bno such (container|object)\\b|: image not known\\b");
            default -> Pattern.compile("(?m)^no such (container|image|object)\\b");
        };
    }

    public String executable() {
        return executable;
    }

    /**
     * The name its {@code events --filter event=} gives a container's exit; empty for nerdctl, whose
     * events cannot be asked about the past (no --since).
     */
    Optional<String> exitEventName() {
        return switch (this) {
            case DOCKER -> Optional.of("die");
            case PODMAN -> Optional.of("died");
            case NERDCTL -> Optional.empty();
        };
    }

    /** nerdctl scopes every call to a containerd namespace. */
    boolean usesNamespace() {
        return this == NERDCTL;
    }

    /** The longest line Go's bufio.Scanner reads (its default limit, in all three CLIs), newline included. */
    private static final int ENV_FILE_LINE_LIMIT = 64 * 1024;

    /**
     * Why this CLI's --env-file would not give {@code entry} ({@code NAME=value}) to the container byte for
     * byte, or empty when it would. Measured with docker 20.10, podman 4.3 and 5.8 (values with spaces at either
     * end, quotes, #, tabs and $ arrive as written; a 70,000-byte line fails with "bufio.Scanner: token too
     * long"); nerdctl 2.2.1 reads the file line by line with strings.TrimSpace (its source, pkg/cmd/container).
     */
    Optional<String> envFileProblem(String entry) {
        if (entry.indexOf('\n') >= 0) {
            return Optional.of("its value has a line break, which an env file cannot hold");
        }
        if (entry.endsWith("\r")) {
            return Optional.of("its value ends in a carriage return, which " + executable + " reads as part of the line's end");
        }
        if (entry.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1 > ENV_FILE_LINE_LIMIT) {
            return Optional.of("it is over the 64 KiB a line of " + executable + "'s env file may have");
        }
        if (this == NERDCTL && !entry.isEmpty() && isGoSpace(entry.charAt(entry.length() - 1))) {
            return Optional.of("its value ends in white space, which nerdctl trims from each line of its env file");
        }
        return Optional.empty();
    }

    /** Go's unicode.IsSpace, which strings.TrimSpace uses. */
    private static boolean isGoSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r' || c == '\u0085'
            || c == '\u00a0' || Character.isSpaceChar(c);
    }

    /** A failed call whose CLI said the object does not exist. */
    boolean saysNotFound(int exitCode, String stderr) {
        if (exitCode == 0) {
            return false;
        }
        // nerdctl's message is Go-quoted inside a log line: only its unquoted text has line starts.
        String said = this == NERDCTL ? new CliStderr(this, stderr).message() : stderr;
        return notFound.matcher(said).find();
    }
}
