package dev.waitdaemon.registry;

/** The credentials for a registry cannot be read: what is wrong, and the fix. Never quotes a secret. */
public class CredentialException extends Exception {

    private final String fix;

    public CredentialException(String message, String fix) {
        super(message);
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }
}
