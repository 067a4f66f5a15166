package dev.waitdaemon.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a failed pull says about itself, read from the engine's message (the Engine API and the CLIs
 * report registry errors as text). Only a transient failure is worth another attempt.
 */
public enum PullFailure {
    /** Connection refused or reset, a timeout, a 5xx answer: the registry may answer next time. */
    TRANSIENT,
    /** The registry wants credentials, or refused the ones given. */
    AUTHENTICATION,
    /** No such repository, tag or digest. */
    UNKNOWN_IMAGE,
    /** Anything else: not retried, reported as it is. */
    OTHER;

    private static final Pattern AUTHENTICATION_WORDS = Pattern.compile(
        "unauthori[sz]ed|authentication required|no basic auth credentials|incorrect username or password"
            + "|access (to the requested resource is not authorized|denied)|denied: |\\b401\\b|\\b403\\b");
    private static final Pattern UNKNOWN_WORDS = Pattern.compile(
        "manifest unknown|name unknown|not found|does not exist|no such image|repository name not known"
            + "|manifest for .* not found|reading manifest .* in .*: manifest unknown");
    private static final Pattern TRANSIENT_WORDS = Pattern.compile(
        "connection refused|connection reset|broken pipe|i/o timeout|timed? ?out|timeout exceeded|deadline exceeded"
            + "|tls handshake timeout|no such host|unexpected eof|\\beof\\b|server misbehaving|temporary failure|try again"
            + "|too many requests|toomanyrequests|\\b5\\d\\d\\b|service unavailable|bad gateway|internal server error");

    public static PullFailure of(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        // docker's "pull access denied ... does not exist or may require 'docker login'" is either; both
        // are for the operator to fix, neither for a retry.
        if (AUTHENTICATION_WORDS.matcher(text).find() || text.contains("pull access denied")) {
            return AUTHENTICATION;
        }
        if (UNKNOWN_WORDS.matcher(text).find()) {
            return UNKNOWN_IMAGE;
        }
        return TRANSIENT_WORDS.matcher(text).find() ? TRANSIENT : OTHER;
    }
}
