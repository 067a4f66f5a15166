package dev.waitdaemon.runtime.containerd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;

import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.internal.PickFirstLoadBalancerProvider;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;

import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.RuntimeUnavailableException;
import dev.waitdaemon.runtime.containerd.api.content.BlobChunk;
import dev.waitdaemon.runtime.containerd.api.events.EventEnvelope;
import dev.waitdaemon.runtime.containerd.api.events.EventFilters;
import dev.waitdaemon.runtime.containerd.api.events.EventPublication;
import dev.waitdaemon.runtime.containerd.api.events.EventsGrpc;
import dev.waitdaemon.runtime.containerd.api.events.TaskExitEvent;
import dev.waitdaemon.runtime.containerd.api.content.BlobRange;
import dev.waitdaemon.runtime.containerd.api.content.ContentGrpc;
import dev.waitdaemon.runtime.containerd.api.images.BlobDescriptor;
import dev.waitdaemon.runtime.containerd.api.images.ImageQuery;
import dev.waitdaemon.runtime.containerd.api.images.ImageRecord;
import dev.waitdaemon.runtime.containerd.api.images.ImagesGrpc;
import dev.waitdaemon.runtime.containerd.api.containers.ContainerCreation;
import dev.waitdaemon.runtime.containerd.api.containers.ContainerListQuery;
import dev.waitdaemon.runtime.containerd.api.containers.ContainerQuery;
import dev.waitdaemon.runtime.containerd.api.containers.ContainerRecord;
import dev.waitdaemon.runtime.containerd.api.containers.ContainersGrpc;
import dev.waitdaemon.runtime.containerd.api.containers.RuntimeChoice;
import dev.waitdaemon.runtime.containerd.api.snapshots.SnapshotKey;
import dev.waitdaemon.runtime.containerd.api.snapshots.SnapshotMounts;
import dev.waitdaemon.runtime.containerd.api.snapshots.SnapshotPreparation;
import dev.waitdaemon.runtime.containerd.api.snapshots.SnapshotsGrpc;
import dev.waitdaemon.runtime.containerd.api.tasks.TaskCreation;
import dev.waitdaemon.runtime.containerd.api.tasks.TaskEnded;
import dev.waitdaemon.runtime.containerd.api.tasks.TaskSignal;
import dev.waitdaemon.runtime.containerd.api.streaming.StreamingGrpc;
import dev.waitdaemon.runtime.containerd.api.transfer.ImageStore;
import dev.waitdaemon.runtime.containerd.api.transfer.OCIRegistry;
import dev.waitdaemon.runtime.containerd.api.transfer.RegistryResolver;
import dev.waitdaemon.runtime.containerd.api.transfer.TransferGrpc;
import dev.waitdaemon.runtime.containerd.api.transfer.TransferOrder;
import dev.waitdaemon.runtime.containerd.api.transfer.UnpackFor;
import dev.waitdaemon.runtime.containerd.api.types.Mount;
import dev.waitdaemon.runtime.containerd.api.types.Platform;
import dev.waitdaemon.runtime.containerd.api.tasks.TaskDeletion;
import dev.waitdaemon.runtime.containerd.api.tasks.TaskExit;
import dev.waitdaemon.runtime.containerd.api.tasks.TaskPid;
import dev.waitdaemon.runtime.containerd.api.tasks.TaskProcess;
import dev.waitdaemon.runtime.containerd.api.tasks.TaskQuery;
import dev.waitdaemon.runtime.containerd.api.tasks.TasksGrpc;
import dev.waitdaemon.runtime.containerd.api.version.VersionGrpc;

/**
 * containerd's API over its Unix socket: gRPC (HTTP/2 in clear, as containerd serves it) on Netty's epoll
 * transport, which can dial a Unix socket. Every call names the namespace in the {@code containerd-namespace}
 * header, as containerd's own clients do, and has a deadline.
 */
public final class GrpcContainerdApi implements ContainerdApi {

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** The type containerd gives a container's OCI runtime spec (JSON) in its record. */
    static final String SPEC_TYPE = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
    private static final Metadata.Key<String> NAMESPACE = Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);

    private final Path socket;
    private final EventLoopGroup loop;
    private final ManagedChannel channel;
    private final VersionGrpc.VersionBlockingStub version;
    private final ContainersGrpc.ContainersBlockingStub containers;
    private final TasksGrpc.TasksBlockingStub tasks;
    private final SnapshotsGrpc.SnapshotsBlockingStub snapshots;
    private final ImagesGrpc.ImagesBlockingStub images;
    private final ContentGrpc.ContentBlockingStub content;
    private final TransferGrpc.TransferBlockingStub transfer;
    private final StreamingGrpc.StreamingStub streaming;
    private final EventsGrpc.EventsStub events;
    private final EventsGrpc.EventsBlockingStub publisher;
    private final String namespace;

    private GrpcContainerdApi(Path socket, String namespace) {
        this.socket = socket;
        registerPickFirst();
        // One daemon thread: waitdaemon makes one call at a time, and must not outlive its work.
        this.loop = new EpollEventLoopGroup(1, new DefaultThreadFactory("containerd-client", true));
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
            .eventLoopGroup(loop)
            .usePlaintext()
            .build();
        Metadata headers = new Metadata();
        headers.put(NAMESPACE, namespace);
        this.version = inNamespace(VersionGrpc.newBlockingStub(channel), headers);
        this.containers = inNamespace(ContainersGrpc.newBlockingStub(channel), headers);
        this.tasks = inNamespace(TasksGrpc.newBlockingStub(channel), headers);
        this.snapshots = inNamespace(SnapshotsGrpc.newBlockingStub(channel), headers);
        this.images = inNamespace(ImagesGrpc.newBlockingStub(channel), headers);
        this.content = inNamespace(ContentGrpc.newBlockingStub(channel), headers);
        this.transfer = inNamespace(TransferGrpc.newBlockingStub(channel), headers);
        this.streaming = inNamespace(StreamingGrpc.newStub(channel), headers);
        // A watch's callback only files the event away: it runs on the event loop's thread, so that no thread is
        // started for it (grpc-java's default executor would start one, in the first fork's memory).
        this.events = inNamespace(EventsGrpc.newStub(channel), headers).withExecutor(Runnable::run);
        this.publisher = inNamespace(EventsGrpc.newBlockingStub(channel), headers);
        this.namespace = namespace;
    }

    /**
     * grpc-java finds its load balancers through ServiceLoader, which the native image does not run (Quarkus
     * links it without GraalVM's ServiceLoader feature: "Could not find policy 'pick_first'"). A channel to
     * one socket needs only pick_first, registered here once.
     */
    private static synchronized void registerPickFirst() {
        LoadBalancerRegistry registry = LoadBalancerRegistry.getDefaultRegistry();
        if (registry.getProvider("pick_first") == null) {
            registry.register(new PickFirstLoadBalancerProvider());
        }
    }

    private static <S extends AbstractStub<S>> S inNamespace(S stub, Metadata headers) {
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** A client of the containerd at {@code socket}, in {@code namespace}; nothing is called yet. */
    public static GrpcContainerdApi open(Path socket, String namespace) throws RuntimeUnavailableException {
        if (!Files.exists(socket)) {
            throw new RuntimeUnavailableException("no containerd socket at " + socket,
                "mount it into the action (volumes: - " + socket + ":" + socket + ") or set CONTAINERD_ADDRESS");
        }
        if (!Epoll.isAvailable()) {
            throw new RuntimeUnavailableException("cannot dial a Unix socket: " + Epoll.unavailabilityCause(),
                "use the nerdctl runtime (CONTAINER_RUNTIME=nerdctl)");
        }
        return new GrpcContainerdApi(socket, namespace);
    }

    @Override
    public ContainerdModel.Version version() {
        var reply = call("version", () -> within(version, CALL_TIMEOUT)
            .version(Empty.getDefaultInstance()));
        return new ContainerdModel.Version(reply.getVersion(), reply.getRevision());
    }

    @Override
    public ContainerdModel.Container container(String id) {
        ContainerRecord record = call("container " + id, () -> containers()
            .get(ContainerQuery.newBuilder().setId(id).build()).getContainer());
        return container(record);
    }

    @Override
    public List<ContainerdModel.Container> containers(String... filters) {
        return call("list containers", () -> containers().list(ContainerListQuery.newBuilder().addAllFilters(List.of(filters)).build()))
            .getContainersList().stream().map(GrpcContainerdApi::container).toList();
    }

    @Override
    public ContainerdModel.Image image(String name) {
        ImageRecord record = call("image " + name, () -> within(images, CALL_TIMEOUT)
            .get(ImageQuery.newBuilder().setName(name).build()).getImage());
        BlobDescriptor target = record.getTarget();
        return new ContainerdModel.Image(record.getName(),
            new ContainerdModel.Descriptor(target.getMediaType(), target.getDigest(), target.getSize()));
    }

    @Override
    public byte[] blob(String digest, int limit) {
        return call("blob " + digest, () -> {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            Iterator<BlobChunk> chunks = within(content, CALL_TIMEOUT)
                .read(BlobRange.newBuilder().setDigest(digest).build());
            while (chunks.hasNext()) {
                ByteString data = chunks.next().getData();
                if (whole.size() + data.size() > limit) {
                    throw new EngineException("blob " + digest + " is larger than " + limit + " bytes: not a manifest or a config", null);
                }
                try {
                    data.writeTo(whole);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return whole.toByteArray();
        });
    }

    @Override
    public void pull(String reference, String architecture, String snapshotter, String hostDir, Optional<RegistryCredentials> credentials,
        Duration limit) {
        if (credentials.isPresent()) {
            try (CredentialsStream stream = CredentialsStream.open(streaming, credentials.get(), CALL_TIMEOUT)) {
                transfer(reference, architecture, snapshotter, RegistryResolver.newBuilder().setHostDir(hostDir).setAuthStream(stream.id()), limit);
            }
        } else {
            transfer(reference, architecture, snapshotter, RegistryResolver.newBuilder().setHostDir(hostDir), limit);
        }
    }

    private void transfer(String reference, String architecture, String snapshotter, RegistryResolver.Builder resolver, Duration limit) {
        Platform platform = Platform.newBuilder().setOs("linux").setArchitecture(architecture).build();
        OCIRegistry source = OCIRegistry.newBuilder().setReference(reference).setResolver(resolver).build();
        ImageStore destination = ImageStore.newBuilder().setName(reference).addPlatforms(platform)
            .addUnpacks(UnpackFor.newBuilder().setPlatform(platform).setSnapshotter(snapshotter)).build();
        TransferOrder order = TransferOrder.newBuilder()
            .setSource(Any.newBuilder().setTypeUrl(typeUrl(OCIRegistry.getDescriptor())).setValue(source.toByteString()))
            .setDestination(Any.newBuilder().setTypeUrl(typeUrl(ImageStore.getDescriptor())).setValue(destination.toByteString()))
            .build();
        call("pull " + reference, () -> within(transfer, limit).transfer(order));
    }

    /** containerd names an Any's type by the message's full name alone (its typeurl registry). */
    private static String typeUrl(Descriptors.Descriptor type) {
        return type.getFullName();
    }

    @Override
    public ContainerdModel.Task task(String containerId) {
        TaskProcess process = call("task " + containerId, () -> tasks()
            .get(TaskQuery.newBuilder().setContainerId(containerId).build()).getProcess());
        ContainerdModel.TaskStatus status = switch (process.getStatus()) {
            case CREATED -> ContainerdModel.TaskStatus.CREATED;
            case RUNNING -> ContainerdModel.TaskStatus.RUNNING;
            case STOPPED -> ContainerdModel.TaskStatus.STOPPED;
            case PAUSED -> ContainerdModel.TaskStatus.PAUSED;
            case PAUSING -> ContainerdModel.TaskStatus.PAUSING;
            default -> ContainerdModel.TaskStatus.UNKNOWN;
        };
        Optional<ContainerdModel.Exit> exit = status == ContainerdModel.TaskStatus.STOPPED
            ? Optional.of(new ContainerdModel.Exit(process.getExitStatus(), instant(process.getExitedAt())))
            : Optional.empty();
        return new ContainerdModel.Task(process.getContainerId(), process.getPid(), status, exit);
    }

    @Override
    public List<Long> taskPids(String containerId) {
        return call("pids of " + containerId, () -> tasks().listPids(TaskDeletion.newBuilder().setContainerId(containerId).build()))
            .getProcessesList().stream().map(TaskPid::getPid).map(Integer::toUnsignedLong).toList();
    }

    /** Where a watch's probes go: every watch takes this topic, so that it can learn that it is live. */
    static final String PROBE_TOPIC = "/waitdaemon/probe";
    /** What an announcement carries: protobuf's own wrapper of a string, which containerd's {@code ctr events} can show. */
    static final String TEXT_TYPE = "type.googleapis.com/google.protobuf.StringValue";
    /**
     * How often a watch that is not live yet announces its probe again. containerd takes the subscription and the
     * probe on two goroutines, and a probe published before the subscription is registered is lost to it (seen
     * once in six first forks here, with 200 ms between probes: 255 ms instead of about 50); a probe that does
     * come back proves every later event comes too.
     */
    private static final Duration PROBE_AGAIN = Duration.ofMillis(20);

    @Override
    public EventWatch watch(List<String> topics) {
        Watch watch = new Watch();
        EventFilters.Builder filters = EventFilters.newBuilder();
        // One filter per topic: containerd takes an event that matches any of them.
        Stream.concat(topics.stream(), Stream.of(PROBE_TOPIC)).distinct()
            .forEach(topic -> filters.addFilters("namespace==" + namespace + ",topic==\"" + topic + "\""));
        events.subscribe(filters.build(), watch);
        return watch;
    }

    @Override
    public void announce(String topic, String text) {
        // Built by hand: Any.pack reads the message's descriptor by reflection, which the native image does not hold.
        Any event = Any.newBuilder().setTypeUrl(TEXT_TYPE).setValue(StringValue.of(text).toByteString()).build();
        call("announce on " + topic, () -> within(publisher, CALL_TIMEOUT)
            .publish(EventPublication.newBuilder().setTopic(topic).setEvent(event).build()));
    }

    /**
     * The events of containerd's stream, kept as they come (the event loop's thread): exits by container,
     * announcements by topic. A stream that ends or fails only stops the keeping: the callers fall back on the
     * tasks' own records, and a wait for an announcement ends at its limit.
     */
    private final class Watch implements EventWatch, ClientResponseObserver<EventFilters, EventEnvelope> {
        private final Map<String, ContainerdModel.Exit> exits = new ConcurrentHashMap<>();
        private final Set<String> announced = new HashSet<>();
        private volatile ClientCallStreamObserver<EventFilters> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<EventFilters> requestStream) {
            call = requestStream;
        }

        @Override
        public void onNext(EventEnvelope envelope) {
            try {
                if (envelope.getTopic().equals(EXIT_TOPIC)) {
                    TaskExitEvent exit = TaskExitEvent.parseFrom(envelope.getEvent().getValue());
                    // The task's own process (an exec's exit names the exec instead).
                    if (exit.getId().isEmpty() || exit.getId().equals(exit.getContainerId())) {
                        exits.put(exit.getContainerId(), new ContainerdModel.Exit(exit.getExitStatus(), instant(exit.getExitedAt())));
                    }
                } else if (envelope.getEvent().getTypeUrl().equals(TEXT_TYPE)) {
                    String text = StringValue.parseFrom(envelope.getEvent().getValue()).getValue();
                    synchronized (announced) {
                        announced.add(key(envelope.getTopic(), text));
                        announced.notifyAll();
                    }
                }
            } catch (InvalidProtocolBufferException notWhatItsTopicPromised) {
                // nothing to keep
            }
        }

        @Override
        public void onError(Throwable t) {
            // cancelled by close(), or the stream broke: what was kept stays
        }

        @Override
        public void onCompleted() {
        }

        @Override
        public boolean awaitLive(Duration limit) throws InterruptedException {
            // Another watch's probes (the first fork's, its clone's) are not this one's echo.
            String probe = RandomHex.of(16);
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                try {
                    announce(PROBE_TOPIC, probe);
                } catch (EngineException e) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (awaitAnnounced(PROBE_TOPIC, probe, Duration.ofNanos(Math.min(left, PROBE_AGAIN.toNanos())))) {
                    return true;
                }
                if (deadline - System.nanoTime() <= 0) {
                    return false;
                }
            }
        }

        @Override
        public Optional<ContainerdModel.Exit> exitOf(String containerId) {
            return Optional.ofNullable(exits.get(containerId));
        }

        @Override
        public boolean awaitAnnounced(String topic, String text, Duration limit) throws InterruptedException {
            String key = key(topic, text);
            long deadline = System.nanoTime() + limit.toNanos();
            synchronized (announced) {
                while (!announced.contains(key)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(announced, left);
                }
                return true;
            }
        }

        private static String key(String topic, String text) {
            return topic + "\n" + text;
        }

        @Override
        public void close() {
            ClientCallStreamObserver<EventFilters> running = call;
            if (running != null) {
                running.cancel("no longer watched", null);
            }
        }
    }

    @Override
    public ContainerdModel.Exit awaitExit(String containerId, Duration limit) {
        TaskExit exit = call("wait for " + containerId, () -> within(tasks, limit)
            .wait(TaskQuery.newBuilder().setContainerId(containerId).build()));
        return new ContainerdModel.Exit(exit.getExitStatus(), instant(exit.getExitedAt()));
    }

    @Override
    public String snapshotParent(String snapshotter, String key) {
        return call("snapshot " + key, () -> snapshots().stat(SnapshotKey.newBuilder().setSnapshotter(snapshotter).setKey(key).build()))
            .getInfo().getParent();
    }

    @Override
    public List<ContainerdModel.Mount> prepareSnapshot(String snapshotter, String key, String parent) {
        return mounts(call("prepare snapshot " + key, () -> snapshots().prepare(SnapshotPreparation.newBuilder()
            .setSnapshotter(snapshotter).setKey(key).setParent(parent).build())));
    }

    @Override
    public List<ContainerdModel.Mount> snapshotMounts(String snapshotter, String key) {
        return mounts(call("mounts of snapshot " + key, () -> snapshots().mounts(SnapshotKey.newBuilder()
            .setSnapshotter(snapshotter).setKey(key).build())));
    }

    private static List<ContainerdModel.Mount> mounts(SnapshotMounts reply) {
        return reply.getMountsList().stream()
            .map(mount -> new ContainerdModel.Mount(mount.getType(), mount.getSource(), mount.getTarget(), mount.getOptionsList()))
            .toList();
    }

    @Override
    public void removeSnapshot(String snapshotter, String key) {
        call("remove snapshot " + key, () -> snapshots().remove(SnapshotKey.newBuilder().setSnapshotter(snapshotter).setKey(key).build()));
    }

    @Override
    public void createContainer(ContainerdModel.NewContainer container) {
        ContainerRecord record = ContainerRecord.newBuilder()
            .setId(container.id())
            .putAllLabels(container.labels())
            .setImage(container.image())
            .setRuntime(RuntimeChoice.newBuilder().setName(container.runtime().name())
                .setOptions(Any.newBuilder().setTypeUrl(container.runtime().optionsType())
                    .setValue(ByteString.copyFrom(container.runtime().options()))))
            .setSpec(Any.newBuilder().setTypeUrl(SPEC_TYPE).setValue(ByteString.copyFromUtf8(container.specJson())))
            .setSnapshotter(container.snapshotter())
            .setSnapshotKey(container.snapshotKey())
            .build();
        call("create container " + container.id(), () -> containers().create(ContainerCreation.newBuilder().setContainer(record).build()));
    }

    @Override
    public void deleteContainer(String id) {
        call("delete container " + id, () -> containers().delete(ContainerQuery.newBuilder().setId(id).build()));
    }

    @Override
    public long createTask(String containerId, List<ContainerdModel.Mount> rootfs, String outputUri) {
        TaskCreation.Builder creation = TaskCreation.newBuilder().setContainerId(containerId).setStdout(outputUri).setStderr(outputUri);
        rootfs.forEach(mount -> creation.addRootfs(Mount.newBuilder().setType(mount.type()).setSource(mount.source())
            .setTarget(mount.target()).addAllOptions(mount.options())));
        return Integer.toUnsignedLong(call("create task " + containerId, () -> tasks().create(creation.build())).getPid());
    }

    @Override
    public void startTask(String containerId) {
        call("start task " + containerId, () -> tasks().start(TaskQuery.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public void killTask(String containerId, int signal) {
        call("signal task " + containerId, () -> tasks().kill(TaskSignal.newBuilder().setContainerId(containerId).setSignal(signal).build()));
    }

    @Override
    public ContainerdModel.Exit deleteTask(String containerId) {
        TaskEnded ended = call("delete task " + containerId, () -> tasks().delete(TaskDeletion.newBuilder().setContainerId(containerId).build()));
        return new ContainerdModel.Exit(ended.getExitStatus(), instant(ended.getExitedAt()));
    }

    /** A stub whose calls fail once {@code limit} has passed: no call waits on containerd for ever. */
    private static <S extends AbstractStub<S>> S within(S stub, Duration limit) {
        return stub.withDeadlineAfter(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SnapshotsGrpc.SnapshotsBlockingStub snapshots() {
        return within(snapshots, CALL_TIMEOUT);
    }

    private ContainersGrpc.ContainersBlockingStub containers() {
        return within(containers, CALL_TIMEOUT);
    }

    private TasksGrpc.TasksBlockingStub tasks() {
        return within(tasks, CALL_TIMEOUT);
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (UncheckedIOException e) {
            throw new EngineException(what + ": " + e.getMessage(), e);
        } catch (StatusRuntimeException e) {
            throw ContainerdErrors.map(what + " (containerd at " + socket + ")", e);
        }
    }

    private static ContainerdModel.Container container(ContainerRecord record) {
        ContainerdModel.Runtime runtime = new ContainerdModel.Runtime(record.getRuntime().getName(),
            record.getRuntime().getOptions().getTypeUrl(), record.getRuntime().getOptions().getValue().toByteArray());
        return new ContainerdModel.Container(record.getId(), record.getLabelsMap(), record.getImage(), runtime,
            record.getSpec().getValue().toString(StandardCharsets.UTF_8), record.getSnapshotter(), record.getSnapshotKey(),
            instant(record.getCreatedAt()));
    }

    private static Instant instant(Timestamp time) {
        return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
