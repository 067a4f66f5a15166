package dev.waitdaemon.runtime.docker;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.docker.DockerModel.ErrorMessage;

/** Turns an error status into a typed {@link EngineException} carrying Docker's own message. */
public class DockerErrorMapper implements ResponseExceptionMapper<EngineException> {

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    @Override
    public EngineException toThrowable(Response response) {
        String message = messageOf(response);
        return switch (response.getStatus()) {
            case 404 -> new EngineException.NotFound(message);
            case 409 -> new EngineException.Conflict(message);
            default -> new EngineException(response.getStatus(), message);
        };
    }

    private static String messageOf(Response response) {
        String fallback = "HTTP " + response.getStatus() + " " + response.getStatusInfo().getReasonPhrase();
        try {
            response.bufferEntity();
            ErrorMessage error = response.readEntity(ErrorMessage.class);
            if (error != null && error.message() != null && !error.message().isBlank()) {
                return error.message();
            }
        } catch (RuntimeException notJson) {
            try {
                String text = response.readEntity(String.class);
                if (text != null && !text.isBlank()) {
                    return text.trim();
                }
            } catch (RuntimeException unreadable) {
                // keep the status line
            }
        }
        return fallback;
    }
}
