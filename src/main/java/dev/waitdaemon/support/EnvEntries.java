package dev.waitdaemon.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code NAME=value} entries of a process's environment, as engines and OCI specs keep them. */
public final class EnvEntries {

    private EnvEntries() {
    }

    /** The variable's name: the text before the first {@code =} (all of it for an entry without one). */
    public static String nameOf(String entry) {
        int equals = entry.indexOf('=');
        return equals < 0 ? entry : entry.substring(0, equals);
    }

    /** Both lists as one: an entry of {@code later} replaces {@code first}'s of the same name in its place. */
    public static List<String> merged(List<String> first, List<String> later) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (List<String> entries : List.of(first, later)) {
            for (String entry : entries) {
                byName.put(nameOf(entry), entry);
            }
        }
        return List.copyOf(byName.values());
    }
}
