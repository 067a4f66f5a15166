package dev.waitdaemon.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference, validated against the distribution grammar
 * ({@code [domain/]path[:tag][@digest]}). Validation is what keeps an IMAGE such as {@code --privileged}
 * from ever reaching an engine or a CLI as anything but a name.
 */
public record ImageReference(String repository, Optional<String> tag, Optional<String> digest) {

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
        + "|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile(
        "(?<repository>(?:(?<domain>" + DOMAIN + ")/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)"
            + "(?::(?<tag>" + TAG + "))?(?:@(?<digest>" + DIGEST + "))?");
    private static final int MAX_REPOSITORY_LENGTH = 255;

    /** Parses {@code text} or explains, in one line, why it is not an image reference. */
    public static ImageReference parse(String text) throws IllegalArgumentException {
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("an image name cannot start with '-'");
        }
        Matcher matcher = REFERENCE.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                "not an image reference: expected [registry/]name[:tag][@digest] with a lower-case name");
        }
        String domain = matcher.group("domain");
        if (domain != null && !looksLikeRegistry(domain)) {
            // "a/b" is a two-part name on Docker Hub; the first part must then obey path rules.
            if (!domain.matches(PATH_COMPONENT)) {
                throw new IllegalArgumentException("not an image reference: '" + domain + "' is neither a registry "
                    + "host nor a lower-case name component");
            }
        }
        String repository = matcher.group("repository");
        if (repository.length() > MAX_REPOSITORY_LENGTH) {
            throw new IllegalArgumentException("image name longer than " + MAX_REPOSITORY_LENGTH + " characters");
        }
        return new ImageReference(repository, Optional.ofNullable(matcher.group("tag")),
            Optional.ofNullable(matcher.group("digest")));
    }

    private static boolean looksLikeRegistry(String firstComponent) {
        return firstComponent.contains(".") || firstComponent.contains(":") || firstComponent.equals("localhost")
            || !firstComponent.equals(firstComponent.toLowerCase(java.util.Locale.ROOT));
    }

    /** What to ask a registry for: the digest when pinned, else the tag, else {@code latest}. */
    public String pullTag() {
        return digest.or(() -> tag).orElse("latest");
    }

    /** The reference as an engine resolves it locally (an untagged name means {@code :latest}). */
    public String canonical() {
        if (digest.isPresent()) {
            return repository + tag.map(t -> ":" + t).orElse("") + "@" + digest.get();
        }
        return repository + ":" + tag.orElse("latest");
    }

    /**
     * The repository as containerd names images: with its registry, Docker Hub's spelled out
     * ({@code busybox} is {@code docker.io/library/busybox}).
     */
    public String qualifiedRepository() {
        int slash = repository.indexOf('/');
        String first = slash < 0 ? "" : repository.substring(0, slash);
        if (slash >= 0 && looksLikeRegistry(first)) {
            boolean hub = first.equals("docker.io") || first.equals("index.docker.io");
            String path = repository.substring(slash + 1);
            return hub ? "docker.io/" + (path.contains("/") ? "" : "library/") + path : repository;
        }
        return "docker.io/" + (slash < 0 ? "library/" : "") + repository;
    }

    /** {@link #canonical()} with {@link #qualifiedRepository()}: the name of the image in containerd's store. */
    public String qualified() {
        return qualifiedRepository() + canonical().substring(repository.length());
    }

    @Override
    public String toString() {
        return canonical();
    }
}
