package dev.waitdaemon.runtime.cli;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.RuntimeChoice;

/** The CLI runtimes, in the order auto-detection tries them after the engine APIs. */
public final class CliCandidates {

    private CliCandidates() {
    }

    /** CaptainOS: containerd with nerdctl, usually the host's through nsenter. */
    @Singleton
    public static class Nerdctl extends CliCandidate {
        @Inject
        public Nerdctl(CommandRunner runner, ObjectMapper json) {
            super(CliDialect.NERDCTL, runner, json);
        }

        @Override public int order() { return 30; }
        @Override public RuntimeChoice serves() { return RuntimeChoice.NERDCTL; }
    }

    /** The docker CLI, where the socket is not mounted into the action but the host has docker. */
    @Singleton
    public static class Docker extends CliCandidate {
        @Inject
        public Docker(CommandRunner runner, ObjectMapper json) {
            super(CliDialect.DOCKER, runner, json);
        }

        @Override public int order() { return 40; }
        @Override public RuntimeChoice serves() { return RuntimeChoice.DOCKER; }
    }

    /** The podman CLI (daemonless podman, e.g. on an IPA ramdisk). */
    @Singleton
    public static class Podman extends CliCandidate {
        @Inject
        public Podman(CommandRunner runner, ObjectMapper json) {
            super(CliDialect.PODMAN, runner, json);
        }

        @Override public int order() { return 50; }
        @Override public RuntimeChoice serves() { return RuntimeChoice.PODMAN; }
    }
}
