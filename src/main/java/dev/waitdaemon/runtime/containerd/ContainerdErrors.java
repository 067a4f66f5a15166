package dev.waitdaemon.runtime.containerd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import dev.waitdaemon.runtime.EngineException;

/** Turns a failed gRPC call into a typed {@link EngineException} carrying containerd's own message. */
final class ContainerdErrors {

    private ContainerdErrors() {
    }

    static EngineException map(String call, StatusRuntimeException failure) {
        Status status = failure.getStatus();
        String said = status.getDescription() == null || status.getDescription().isBlank()
            ? status.getCode().name() : status.getDescription();
        String message = call + ": " + said;
        return switch (status.getCode()) {
            case NOT_FOUND -> new EngineException.NotFound(message);
            case ALREADY_EXISTS, FAILED_PRECONDITION -> new EngineException.Conflict(message);
            // No answer, or none in time: the daemon is down, or the socket is not containerd's.
            case UNAVAILABLE, DEADLINE_EXCEEDED -> new EngineException(call + ": containerd did not answer (" + said + ")", failure);
            default -> new EngineException(message, failure);
        };
    }
}
