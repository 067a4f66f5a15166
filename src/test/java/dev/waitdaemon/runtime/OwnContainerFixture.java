package dev.waitdaemon.runtime;

import java.nio.file.Path;
import java.util.List;

/** An {@link OwnContainer} that claims the given ids, for tests of the phases. */
public final class OwnContainerFixture {

    private OwnContainerFixture() {
    }

    /** One that reads this fake /proc/self (and the files two folders up, as if that were the root). */
    public static OwnContainer reading(Path procSelf) {
        return new OwnContainer(procSelf);
    }

    public static OwnContainer claiming(String... ids) {
        return new OwnContainer(Path.of("/nonexistent")) {
            @Override
            public List<String> candidateIds() {
                return List.of(ids);
            }
        };
    }
}
