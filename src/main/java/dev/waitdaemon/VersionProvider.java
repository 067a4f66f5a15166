package dev.waitdaemon;

import jakarta.enterprise.context.Dependent;

import io.quarkus.arc.Unremovable;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import picocli.CommandLine.IVersionProvider;

/** Picocli creates it through the CDI factory, so nothing injects it. */
@Dependent
@Unremovable
public class VersionProvider implements IVersionProvider {

    @ConfigProperty(name = "quarkus.application.version")
    String version;

    @Override
    public String[] getVersion() {
        return new String[] { "waitdaemon " + version };
    }
}
