package dev.waitdaemon.support;

/** The multi-platform image that publish.sh pushed to the tests' loopback registry before the engine tests. */
public final class PublishedImage {

    private PublishedImage() {
    }

    /** registry/repository:tag, as given to publish.sh; src/scripts/test.sh sets it. */
    public static String reference() {
        String reference = System.getProperty("waitdaemon.it.published", "");
        if (reference.isBlank()) {
            throw new IllegalStateException("waitdaemon.it.published is not set: run src/scripts/test.sh, which "
                + "publishes the image to a registry on loopback before the engine tests");
        }
        return reference;
    }

    /** The registry is on loopback and speaks plain HTTP. */
    public static String registry() {
        return reference().substring(0, reference().indexOf('/'));
    }
}
