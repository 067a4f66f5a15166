package dev.waitdaemon.phase;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.registry.CredentialException;
import dev.waitdaemon.registry.CredentialSource;
import dev.waitdaemon.registry.PullFailure;
import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.registry.RegistryHost;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.support.EventLog;

/**
 * Makes IMAGE present, as tink-agent pulls an action's image: an image already there is used as it is
 * (a registry outage then does not matter); otherwise it is pulled, transient failures retried with a
 * growing pause, within a bound. A pinned digest must be what the engine reports afterwards.
 */
@ApplicationScoped
public class ImagePull {

    /** tink-agent's number of tries. */
    static final int ATTEMPTS = 5;
    static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    /** No retry starts after this much time since the first attempt. */
    static final Duration RETRY_LIMIT = Duration.ofMinutes(2);

    /** Waits between attempts; tests replace it. */
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final CredentialSource credentialSource;
    private final EventLog log;
    private final Pause pause;

    @Inject
    public ImagePull(CredentialSource credentialSource, EventLog log) {
        this(credentialSource, log, duration -> Thread.sleep(duration.toMillis()));
    }

    ImagePull(CredentialSource credentialSource, EventLog log, Pause pause) {
        this.credentialSource = credentialSource;
        this.log = log;
        this.pause = pause;
    }

    void ensure(ImageReference image, ContainerRuntime runtime) throws PhaseException {
        String reference = image.canonical();
        Optional<ImageInfo> present = inspect(runtime, image);
        if (present.isPresent()) {
            log.info("image present locally; not pulling");
            requireDigest(image, present.get());
            return;
        }
        Optional<RegistryCredentials> credentials = credentials(image);
        String from = credentials.map(RegistryCredentials::source).orElse("none");
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            log.info("pulling image", "attempt", attempt, "credentials", from);
            try {
                runtime.pull(image, credentials);
                break;
            } catch (EngineException e) {
                PullFailure failure = PullFailure.of(e.getMessage());
                Duration pauseBefore = FIRST_PAUSE.multipliedBy(1L << (attempt - 1));
                boolean retry = failure == PullFailure.TRANSIENT && attempt < ATTEMPTS
                    && Duration.ofNanos(System.nanoTime() - started).plus(pauseBefore).compareTo(RETRY_LIMIT) <= 0;
                if (!retry) {
                    throw failed(image, failure, attempt, credentials, e);
                }
                log.warn("pull failed; retrying", "attempt", attempt, "attempts", ATTEMPTS,
                    "retryInMs", pauseBefore.toMillis(), "reason", e.getMessage());
                sleep(pauseBefore, image);
            }
        }
        ImageInfo pulled = inspect(runtime, image).orElseThrow(() -> new PhaseException(
            "the pull of " + reference + " finished but the engine does not list it",
            "check the engine's log", null));
        requireDigest(image, pulled);
        log.info("image pulled", "durationMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * What {@link #ensure} would do, checked as far as can be without pulling (a dry run): the image
     * present (and its digest pin held), or pulled from its registry with credentials from where.
     */
    public String checkWithoutPulling(ImageReference image, ContainerRuntime runtime) throws PhaseException {
        Optional<ImageInfo> present = inspect(runtime, image);
        if (present.isPresent()) {
            requireDigest(image, present.get());
            return "present (" + present.get().id() + "); it would not be pulled";
        }
        return "not here; it would be pulled from " + RegistryHost.of(image).display() + " with credentials "
            + credentials(image).map(RegistryCredentials::source).orElse("none");
    }

    private Optional<RegistryCredentials> credentials(ImageReference image) throws PhaseException {
        try {
            return credentialSource.forImage(image);
        } catch (CredentialException e) {
            throw new PhaseException("IMAGE " + image.canonical() + " cannot be pulled: " + e.getMessage(), e.fix(), e);
        }
    }

    private static Optional<ImageInfo> inspect(ContainerRuntime runtime, ImageReference image) throws PhaseException {
        try {
            return runtime.inspectImage(image.canonical());
        } catch (EngineException e) {
            throw new PhaseException("cannot ask the engine for " + image + ": " + e.getMessage(),
                "check that the engine is running", e);
        }
    }

    /** A digest pin is a promise about content: hold the engine to it. */
    private static void requireDigest(ImageReference image, ImageInfo info) throws PhaseException {
        if (image.digest().isPresent() && !info.hasDigest(image.digest().get())) {
            throw new PhaseException("the engine does not report the pinned digest " + image.digest().get() + " for "
                + image + " (it reports " + (info.repoDigests().isEmpty() ? "none" : String.join(", ", info.repoDigests())) + ")",
                "pin the digest the registry serves for that image, or remove the local image that shadows it", null);
        }
    }

    private static PhaseException failed(ImageReference image, PullFailure failure, int attempts,
                                         Optional<RegistryCredentials> credentials, EngineException cause) {
        String registry = RegistryHost.of(image).display();
        String what = "IMAGE " + image + " could not be pulled";
        return switch (failure) {
            case AUTHENTICATION -> new PhaseException(what + ": " + registry
                + credentials.map(given -> " refused the credentials from " + given.source()).orElse(" wants credentials and none were given")
                + " (" + cause.getMessage() + ")", "give credentials for " + registry + " with REGISTRY_USERNAME and "
                + "REGISTRY_PASSWORD in the action's environment, or mount a Docker config.json with an entry for "
                + registry + " at /root/.docker/config.json", cause);
            case UNKNOWN_IMAGE -> new PhaseException(what + ": " + registry + " has no such image (" + cause.getMessage() + ")",
                "check the name, tag or digest", cause);
            case TRANSIENT -> new PhaseException(what + " after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + ": " + cause.getMessage(), "check that this machine reaches " + registry
                + ", or load the image beforehand", cause);
            case OTHER -> new PhaseException(what + ": " + cause.getMessage(),
                "check the name and tag and that this machine reaches the registry, or load the image beforehand", cause);
        };
    }

    private void sleep(Duration duration, ImageReference image) throws PhaseException {
        try {
            pause.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhaseException("interrupted while retrying the pull of " + image, "run the action again", e);
        }
    }
}
