package dev.waitdaemon.runtime;

/** The engine refused or failed a call; the message is the engine's own, with what was asked. */
public class EngineException extends RuntimeException {

    private final int status;

    public EngineException(int status, String message) {
        super(message);
        this.status = status;
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status for API engines, 0 when there was none (unreachable engine, CLI failure). */
    public int status() {
        return status;
    }

    /** The container or image asked for does not exist. */
    public static class NotFound extends EngineException {
        public NotFound(String message) {
            super(404, message);
        }
    }

    /** The request conflicts with the engine's state (a name in use, a container already removed). */
    public static class Conflict extends EngineException {
        public Conflict(String message) {
            super(409, message);
        }
    }
}
