package dev.waitdaemon.runtime;

/** A candidate runtime cannot be used here: why, and what would make it usable. */
public class RuntimeUnavailableException extends Exception {

    private final String fix;

    public RuntimeUnavailableException(String reason, String fix) {
        super(reason);
        this.fix = fix;
    }

    public String reason() {
        return getMessage();
    }

    public String fix() {
        return fix;
    }
}
