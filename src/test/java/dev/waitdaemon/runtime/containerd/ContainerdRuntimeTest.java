package dev.waitdaemon.runtime.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.waitdaemon.runtime.ContainerRuntime.CloneReadiness;
import dev.waitdaemon.runtime.EngineException;

/**
 * When the action exited, on containerd: its task while it exists, else the exit containerd announced to the
 * clone's watch; and the clone's word to the first fork that it watches.
 */
class ContainerdRuntimeTest {

    private static final Instant EXITED = Instant.parse("2026-12-07T10:00:00.123456789Z");
    private static final String CLONE_LAYER = "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/42/fs";

    @Test
    void aTaskDeletedAtOnceIsKnownByTheExitItsWatchSaw() {
        TasksAndExits api = new TasksAndExits();
        api.exits.put("action", new ContainerdModel.Exit(0, EXITED));
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            runtime.watchExits(Optional.empty());

            assertThat(runtime.isRunning("action")).isFalse();
            assertThat(runtime.exitedAt("action")).contains(EXITED);
        }
        assertThat(api.watchesClosed).isEqualTo(1);
    }

    /** The announcement can come before the task's own status reads stopped. */
    @Test
    void anAnnouncedExitEndsTheRunningAtOnce() {
        TasksAndExits api = new TasksAndExits();
        api.tasks.put("action", task("action", ContainerdModel.TaskStatus.RUNNING));
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            runtime.watchExits(Optional.empty());
            assertThat(runtime.isRunning("action")).isTrue();

            api.exits.put("action", new ContainerdModel.Exit(3, EXITED));

            assertThat(runtime.isRunning("action")).isFalse();
            assertThat(runtime.exitedAt("action")).contains(EXITED);
        }
    }

    /** Without a watch (the first fork's runtime), or one that missed the exit: only the task's own record. */
    @Test
    void withoutAWatchADeletedTaskHasNoExitTime() {
        TasksAndExits api = new TasksAndExits();
        api.exits.put("action", new ContainerdModel.Exit(0, EXITED));
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
            runtime.watchExits(Optional.empty());

            assertThat(runtime.isRunning("action")).isFalse();
            assertThat(runtime.exitedAt("action")).contains(EXITED);
        }
    }

    /** The clone says that it watches once its watch is live, and names itself by its writable layer. */
    @Test
    void aCloneSaysItWatchesOnceItsWatchIsLive() {
        TasksAndExits api = new TasksAndExits();
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            runtime.watchExits(Optional.of(CLONE_LAYER));
        }
        assertThat(api.watchedTopics).containsExactly(List.of(ContainerdApi.EXIT_TOPIC));
        assertThat(api.announcements).containsExactly(ContainerdRuntime.CLONE_WATCHING_TOPIC + " " + CLONE_LAYER);
    }

    /** A watch that never became live may miss the exit: then the clone says nothing, and the first fork stops waiting at its limit. */
    @Test
    void aCloneWhoseWatchIsNotLiveSaysNothing() {
        TasksAndExits api = new TasksAndExits();
        api.live = false;
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            runtime.watchExits(Optional.of(CLONE_LAYER));
            runtime.watchExits(Optional.empty());
        }
        assertThat(api.announcements).isEmpty();
    }

    @Test
    void theFirstForkHearsItsOwnCloneByItsLayer() throws Exception {
        TasksAndExits api = new TasksAndExits();
        api.withClone("clone", CLONE_LAYER, ContainerdModel.TaskStatus.RUNNING);
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty());
             CloneReadiness readiness = runtime.cloneReadiness().orElseThrow()) {
            assertThat(api.watchedTopics).containsExactly(List.of(ContainerdRuntime.CLONE_WATCHING_TOPIC));
            // Another clone's word (another layer) is not this one's.
            api.announce(ContainerdRuntime.CLONE_WATCHING_TOPIC, "/var/lib/other/fs");
            assertThat(readiness.await("clone", Duration.ofMillis(250))).isEqualTo(CloneReadiness.Answer.SILENT);

            api.announce(ContainerdRuntime.CLONE_WATCHING_TOPIC, CLONE_LAYER);

            assertThat(readiness.await("clone", Duration.ofSeconds(10))).isEqualTo(CloneReadiness.Answer.WATCHING);
        }
        assertThat(api.watchesClosed).isEqualTo(1);
    }

    /** A clone that has ended will not speak: the first fork stops waiting at its next check, not at its limit. */
    @Test
    void aCloneThatEndedIsNotWaitedForToTheLimit() throws Exception {
        TasksAndExits api = new TasksAndExits();
        api.withClone("clone", CLONE_LAYER, ContainerdModel.TaskStatus.STOPPED);
        long asked = System.nanoTime();

        assertThat(answerOf(api, Duration.ofMinutes(10))).isEqualTo(CloneReadiness.Answer.ENDED);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void noReadinessWhereTheFirstForksWatchIsNotLive() {
        TasksAndExits api = new TasksAndExits();
        api.live = false;
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty())) {
            assertThat(runtime.cloneReadiness()).isEmpty();
        }
        assertThat(api.watchesClosed).isEqualTo(1);
    }

    /** A clone on a root that is not an overlay has no layer to name itself by: not waited for. */
    @Test
    void aCloneWithoutALayerIsNotWaitedFor() throws Exception {
        TasksAndExits api = new TasksAndExits();
        api.withClone("clone", null, ContainerdModel.TaskStatus.RUNNING);

        assertThat(answerOf(api, Duration.ofMinutes(10))).isEqualTo(CloneReadiness.Answer.SILENT);
    }

    /** What the first fork hears from the clone "clone", waiting at most {@code limit}. */
    private static CloneReadiness.Answer answerOf(TasksAndExits api, Duration limit) throws InterruptedException {
        try (ContainerdRuntime runtime = new ContainerdRuntime(api, "tinkerbell", Optional.empty());
             CloneReadiness readiness = runtime.cloneReadiness().orElseThrow()) {
            return readiness.await("clone", limit);
        }
    }

    private static ContainerdModel.Task task(String id, ContainerdModel.TaskStatus status) {
        return new ContainerdModel.Task(id, 42, status, Optional.empty());
    }

    /**
     * Tasks and containers by id; exits "announced" to every watch, and what is announced delivered to each
     * watch of its topic, as containerd does once a watch is live.
     */
    private static final class TasksAndExits extends UnansweringContainerdApi {
        final Map<String, ContainerdModel.Task> tasks = new HashMap<>();
        final Map<String, ContainerdModel.Container> containers = new HashMap<>();
        final Map<String, List<ContainerdModel.Mount>> mounts = new HashMap<>();
        final Map<String, ContainerdModel.Exit> exits = new HashMap<>();
        final List<List<String>> watchedTopics = new ArrayList<>();
        final List<String> announcements = new ArrayList<>();
        boolean live = true;
        int watchesClosed;

        void withClone(String id, String layer, ContainerdModel.TaskStatus status) {
            containers.put(id, new ContainerdModel.Container(id, Map.of(), "waitdaemon", null, "{}", "overlayfs", id, EXITED));
            mounts.put(id, layer == null ? List.of(new ContainerdModel.Mount("bind", "/var/lib/rootfs", "", List.of("rbind")))
                : List.of(new ContainerdModel.Mount("overlay", "overlay", "", List.of("workdir=/w", "upperdir=" + layer, "lowerdir=/l"))));
            tasks.put(id, ContainerdRuntimeTest.task(id, status));
        }

        @Override
        public ContainerdModel.Task task(String containerId) {
            ContainerdModel.Task task = tasks.get(containerId);
            if (task == null) {
                throw new EngineException.NotFound("no task for " + containerId);
            }
            return task;
        }

        @Override
        public ContainerdModel.Container container(String id) {
            return containers.get(id);
        }

        @Override
        public List<ContainerdModel.Mount> snapshotMounts(String snapshotter, String key) {
            return mounts.get(key);
        }

        @Override
        public synchronized void announce(String topic, String text) {
            announcements.add(topic + " " + text);
            notifyAll();
        }

        @Override
        public EventWatch watch(List<String> topics) {
            watchedTopics.add(topics);
            return new EventWatch() {
                @Override
                public boolean awaitLive(Duration limit) {
                    return live;
                }

                @Override
                public Optional<ContainerdModel.Exit> exitOf(String containerId) {
                    return Optional.ofNullable(exits.get(containerId));
                }

                @Override
                public boolean awaitAnnounced(String topic, String text, Duration limit) throws InterruptedException {
                    long deadline = System.nanoTime() + limit.toNanos();
                    synchronized (TasksAndExits.this) {
                        while (!announcements.contains(topic + " " + text)) {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) {
                                return false;
                            }
                            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(TasksAndExits.this, left);
                        }
                        return true;
                    }
                }

                @Override
                public void close() {
                    watchesClosed++;
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
