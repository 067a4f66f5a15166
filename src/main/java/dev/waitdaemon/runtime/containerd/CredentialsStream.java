package dev.waitdaemon.runtime.containerd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import org.jboss.logging.Logger;

import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.registry.RegistryHost;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.containerd.api.streaming.StreamInit;
import dev.waitdaemon.runtime.containerd.api.streaming.StreamingGrpc;
import dev.waitdaemon.runtime.containerd.api.transfer.AuthRequest;
import dev.waitdaemon.runtime.containerd.api.transfer.AuthResponse;
import dev.waitdaemon.runtime.containerd.api.transfer.AuthType;

/**
 * The stream on which containerd's transfer service asks for registry credentials during a pull. The
 * credentials travel only on this call, inside containerd's socket, and only for the registry they are
 * for: a question about another host gets "none".
 */
final class CredentialsStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CredentialsStream.class);

    private final String id;
    private final CompletableFuture<Void> registered = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<Any> toContainerd;

    private CredentialsStream(String id) {
        this.id = id;
    }

    /** Opens the stream and waits until containerd has registered it under its name. */
    static CredentialsStream open(StreamingGrpc.StreamingStub streaming, RegistryCredentials credentials, Duration limit) {
        CredentialsStream stream = new CredentialsStream("waitdaemon-credentials-" + RandomHex.of(16));
        streaming.stream(stream.answering(credentials));
        stream.toContainerd.onNext(any(StreamInit.newBuilder().setId(stream.id).build().toByteString(), StreamInit.getDescriptor().getFullName()));
        try {
            stream.registered.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.close();
            throw new EngineException("interrupted while opening the credentials stream", e);
        } catch (ExecutionException | TimeoutException e) {
            stream.close();
            throw new EngineException("containerd did not open the credentials stream: "
                + (e.getCause() == null ? "no answer within " + limit.toSeconds() + " s" : e.getCause().getMessage()), e);
        }
        return stream;
    }

    /** The name a transfer's resolver gives as its auth_stream. */
    String id() {
        return id;
    }

    private ClientResponseObserver<Any, Any> answering(RegistryCredentials credentials) {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Any> requests) {
                toContainerd = requests;
            }

            @Override
            public void onNext(Any message) {
                // The first message acknowledges the stream's name; every later one is a question.
                if (!registered.isDone()) {
                    registered.complete(null);
                    return;
                }
                toContainerd.onNext(any(answer(message, credentials).toByteString(), AuthResponse.getDescriptor().getFullName()));
            }

            @Override
            public void onError(Throwable error) {
                registered.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {
                registered.complete(null);
            }
        };
    }

    static AuthResponse answer(Any message, RegistryCredentials credentials) {
        try {
            AuthRequest request = AuthRequest.parseFrom(message.getValue());
            if (!RegistryHost.normalised(request.getHost()).equals(credentials.registry())) {
                LOG.debugf("containerd asked for credentials of %s; those given are for %s", request.getHost(), credentials.registry().display());
                return AuthResponse.newBuilder().setAuthType(AuthType.NONE).build();
            }
            return credentials.forContainerd(
                (user, password) -> AuthResponse.newBuilder().setAuthType(AuthType.CREDENTIALS).setUsername(user).setSecret(password).build(),
                token -> AuthResponse.newBuilder().setAuthType(AuthType.REFRESH).setSecret(token).build());
        } catch (InvalidProtocolBufferException e) {
            return AuthResponse.newBuilder().setAuthType(AuthType.NONE).build();
        }
    }

    private static Any any(com.google.protobuf.ByteString value, String type) {
        return Any.newBuilder().setTypeUrl(type).setValue(value).build();
    }

    @Override
    public void close() {
        ClientCallStreamObserver<Any> requests = toContainerd;
        if (requests != null) {
            try {
                requests.onCompleted();
            } catch (IllegalStateException alreadyClosed) {
                // the call ended on containerd's side
            }
        }
    }
}
