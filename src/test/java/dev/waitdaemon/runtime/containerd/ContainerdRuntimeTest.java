package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.runtime.EngineException;

/** When the action exited, on containerd: its task while it exists, else the exit containerd announced to the clone's watch. */
class ContainerdRuntimeTest {

    private static final Instant EXITED = Instant.parse("2026-12-07T10:00:00.123456789Z");

    @Test
    void aTaskDeletedAtOnceIsKnownByTheExitItsWatchSaw() {
        TasksAndExits api = new TasksAndExits();
        api.announced.put("action", new ContainerdModel.Exit(0, EXITED));
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            runtime.watchExits();

            assertThat(runtime.isRunning("action")).isFalse();
            assertThat(runtime.exitedAt("action")).contains(EXITED);
        }
        assertThat(api.watchClosed).isTrue();
    }

    /** The announcement can come before the task's own status reads stopped. */
    @Test
    void anAnnouncedExitEndsTheRunningAtOnce() {
        TasksAndExits api = new TasksAndExits();
        api.tasks.put("action", new ContainerdModel.Task("action", 42, ContainerdModel.TaskStatus.RUNNING, Optional.empty()));
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            runtime.watchExits();
            assertThat(runtime.isRunning("action")).isTrue();

            api.announced.put("action", new ContainerdModel.Exit(3, EXITED));

            assertThat(runtime.isRunning("action")).isFalse();
            assertThat(runtime.exitedAt("action")).contains(EXITED);
        }
    }

    /** Without a watch (the first fork's runtime), or one that missed the exit: only the task's own record. */
    @Test
    void withoutAWatchADeletedTaskHasNoExitTime() {
        TasksAndExits api = new TasksAndExits();
        api.announced.put("action", new ContainerdModel.Exit(0, EXITED));
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            assertThat(runtime.isRunning("action")).isFalse();
            assertThat(runtime.exitedAt("action")).isEmpty();
            assertThat(runtime.exitedAt("other")).isEmpty();
        }
    }

    @Test
    void aStoppedTaskTellsItsOwnExit() {
        TasksAndExits api = new TasksAndExits();
        api.tasks.put("action", new ContainerdModel.Task("action", 42, ContainerdModel.TaskStatus.STOPPED,
            Optional.of(new ContainerdModel.Exit(1, EXITED))));
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            runtime.watchExits();

            assertThat(runtime.isRunning("action")).isFalse();
            assertThat(runtime.exitedAt("action")).contains(EXITED);
        }
    }

    /** Tasks by container, and the exits "announced" to a watch once there is one. */
    private static final class TasksAndExits extends UnansweringContainerdApi {
        final Map<String, ContainerdModel.Task> tasks = new HashMap<>();
        final Map<String, ContainerdModel.Exit> announced = new HashMap<>();
        boolean watchClosed;

        @Override
        public ContainerdModel.Task task(String containerId) {
            ContainerdModel.Task task = tasks.get(containerId);
            if (task == null) {
                throw new EngineException.NotFound("no task for " + containerId);
            }
            return task;
        }

        @Override
        public ExitWatch watchExits() {
            return new ExitWatch() {
                @Override
                public Optional<ContainerdModel.Exit> exitOf(String containerId) {
                    return Optional.ofNullable(announced.get(containerId));
                }

                @Override
                public void close() {
                    watchClosed = true;
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
