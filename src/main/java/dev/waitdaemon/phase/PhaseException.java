package dev.waitdaemon.phase;

/** A phase could not do its work: what went wrong, and what the operator can do about it. */
public class PhaseException extends Exception {

    private final String fix;

    public PhaseException(String message, String fix, Throwable cause) {
        super(message, cause);
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }
}
