package dev.waitdaemon.config;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What configuration cannot tell: which contract variables are present but empty (configuration
 * treats an empty value as missing, which would turn {@code WAIT_SECONDS=""} into a silent default, or
 * {@code IMAGE=""} into "not an action").
 */
@ApplicationScoped
public class EnvironmentFacts {

    public Set<String> emptyVariables() {
        Map<String, String> environment = System.getenv();
        return Stream.concat(Contract.MUST_NOT_BE_EMPTY.stream(), Contract.EMPTY_MEANS_DEFAULT.stream())
            .filter(name -> environment.containsKey(name) && environment.get(name).isBlank())
            .collect(Collectors.toUnmodifiableSet());
    }
}
