package dev.waitdaemon.runtime.containerd;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.waitdaemon.registry.RegistryCredentials;

/** A containerd whose every call fails: unit tests override the calls they expect. */
abstract class UnansweringContainerdApi implements ContainerdApi {

    @Override
    public ContainerdModel.Version version() {
        throw new UnsupportedOperationException("version");
    }

    @Override
    public ContainerdModel.Container container(String id) {
        throw new UnsupportedOperationException("container");
    }

    @Override
    public List<ContainerdModel.Container> containers(String... filters) {
        throw new UnsupportedOperationException("containers");
    }

    @Override
    public ContainerdModel.Image image(String name) {
        throw new UnsupportedOperationException("image");
    }

    @Override
    public byte[] blob(String digest, int limit) {
        throw new UnsupportedOperationException("blob");
    }

    @Override
    public void pull(String reference, String architecture, String snapshotter, String hostDir, Optional<RegistryCredentials> credentials, Duration limit) {
        throw new UnsupportedOperationException("pull");
    }

    @Override
    public ContainerdModel.Task task(String containerId) {
        throw new UnsupportedOperationException("task");
    }

    @Override
    public List<Long> taskPids(String containerId) {
        throw new UnsupportedOperationException("taskPids");
    }

    @Override
    public EventWatch watch(List<String> topics) {
        throw new UnsupportedOperationException("watch");
    }

    @Override
    public void announce(String topic, String text) {
        throw new UnsupportedOperationException("announce");
    }

    @Override
    public ContainerdModel.Exit awaitExit(String containerId, Duration limit) {
        throw new UnsupportedOperationException("awaitExit");
    }

    @Override
    public String snapshotParent(String snapshotter, String key) {
        throw new UnsupportedOperationException("snapshotParent");
    }

    @Override
    public List<ContainerdModel.Mount> prepareSnapshot(String snapshotter, String key, String parent) {
        throw new UnsupportedOperationException("prepareSnapshot");
    }

    @Override
    public List<ContainerdModel.Mount> snapshotMounts(String snapshotter, String key) {
        throw new UnsupportedOperationException("snapshotMounts");
    }

    @Override
    public void removeSnapshot(String snapshotter, String key) {
        throw new UnsupportedOperationException("removeSnapshot");
    }

    @Override
    public void createContainer(ContainerdModel.NewContainer container) {
        throw new UnsupportedOperationException("createContainer");
    }

    @Override
    public void deleteContainer(String id) {
        throw new UnsupportedOperationException("deleteContainer");
    }

    @Override
    public long createTask(String containerId, List<ContainerdModel.Mount> rootfs, String outputUri) {
        throw new UnsupportedOperationException("createTask");
    }

    @Override
    public void startTask(String containerId) {
        throw new UnsupportedOperationException("startTask");
    }

    @Override
    public void killTask(String containerId, int signal) {
        throw new UnsupportedOperationException("killTask");
    }

    @Override
    public ContainerdModel.Exit deleteTask(String containerId) {
        throw new UnsupportedOperationException("deleteTask");
    }

    @Override
    public void close() {
    }
}
