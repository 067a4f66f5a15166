package dev.waitdaemon.config;

import java.util.List;

/** One or more environment variables cannot be used; each problem is one line naming the fix. */
public class InvalidConfigurationException extends Exception {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
