package dev.waitdaemon.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.config.ImageReference;
import dev.waitdaemon.config.ScopedProblem;
import dev.waitdaemon.registry.RegistryCredentials;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.ContainerStatus;
import dev.waitdaemon.runtime.ContainerSummary;
import dev.waitdaemon.runtime.EngineException;
import dev.waitdaemon.runtime.EngineTimes;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.OutputTail;
import dev.waitdaemon.runtime.docker.DockerModel.ContainerInspect;
import dev.waitdaemon.runtime.docker.DockerModel.CreatedContainer;
import dev.waitdaemon.runtime.docker.DockerModel.PullProgress;

/** The runtime seam over the Docker Engine API (dockerd, or podman's compatible service). */
final class DockerRuntime implements ContainerRuntime {

    private static final Logger LOG = Logger.getLogger(DockerRuntime.class);

    private final String name;
    private final DockerClients clients;
    private final ObjectMapper json;

    DockerRuntime(String name, DockerClients clients, ObjectMapper json) {
        this.name = name;
        this.clients = clients;
        this.json = json;
    }

    @Override
    public String name() {
        return name;
    }

    /** The Engine API reads neither the CLIs' host mode nor nerdctl's namespace. */
    @Override
    public boolean reads(ScopedProblem.ReadBy settings) {
        return false;
    }

    @Override
    public Optional<ImageInfo> inspectImage(String image) {
        try {
            JsonNode inspect = call("inspecting image " + image, () -> clients.api().inspectImage(image));
            return Optional.of(DockerMapping.toImageInfo(inspect));
        } catch (EngineException.NotFound e) {
            return Optional.empty();
        }
    }

    @Override
    public void pull(ImageReference image, Optional<RegistryCredentials> credentials) {
        String what = "pulling " + image;
        String auth = credentials.map(RegistryCredentials::engineAuthHeader).orElse(null);
        try (InputStream progress = call(what, () -> clients.pullApi().pullImage(image.repository(), image.pullTag(), auth));
             MappingIterator<PullProgress> events = json.readerFor(PullProgress.class).readValues(progress)) {
            while (events.hasNextValue()) {
                PullProgress event = events.nextValue();
                if (event.error() != null || event.errorDetail() != null) {
                    String message = event.error() != null ? event.error() : event.errorDetail().message();
                    throw new EngineException(0, message);
                }
            }
        } catch (IOException e) {
            throw new EngineException("the engine's answer to " + what + " could not be read: " + e.getMessage(), e);
        }
    }

    @Override
    public ContainerInfo inspectContainer(String id) {
        JsonNode inspect = call("inspecting container " + id, () -> clients.api().inspectContainerTree(id));
        return DockerMapping.toContainerInfo(inspect);
    }

    @Override
    public String create(ContainerSpec spec) {
        CreatedContainer created = call("creating a container from " + spec.image(),
            () -> clients.api().createContainer(DockerMapping.toCreateRequest(spec)));
        if (created.warnings() != null && !created.warnings().isEmpty()) {
            LOG.warnf("the engine warned while creating %s: %s", created.id(), String.join("; ", created.warnings()));
        }
        return created.id();
    }

    /**
     * On podman, the OCI runtime's create now (libpod's init: namespaces, network, mounts, the process parked
     * before it runs), so that the start is runc's start alone. dockerd has no such step: its start does both.
     */
    @Override
    public void prepareStart(String id) {
        if (!clients.libpod()) {
            return;
        }
        call("initialising container " + id, () -> {
            clients.api().initContainer(id);
            return null;
        });
    }

    @Override
    public void startCreated(String id) {
        call("starting container " + id, () -> {
            clients.api().startContainer(id);
            return null;
        });
    }

    @Override
    public boolean isRunning(String id) {
        try {
            ContainerInspect inspect = call("inspecting container " + id, () -> clients.api().inspectContainer(id));
            return inspect.state() != null && Boolean.TRUE.equals(inspect.state().running());
        } catch (EngineException.NotFound gone) {
            return false;
        }
    }

    @Override
    public Optional<Instant> exitedAt(String id) {
        try {
            ContainerInspect inspect = call("inspecting container " + id, () -> clients.api().inspectContainer(id));
            if (inspect.state() == null || Boolean.TRUE.equals(inspect.state().running())) {
                return Optional.empty();
            }
            return EngineTimes.parse(inspect.state().finishedAt());
        } catch (EngineException.NotFound removed) {
            return exitEvent(id);
        }
    }

    /** The die event of a removed container (dockerd says "die", podman "died"); read until the first. */
    private Optional<Instant> exitEvent(String id) {
        long now = Instant.now().getEpochSecond();
        String filters = filters(Map.of("container", List.of(id), "event", List.of("die", "died")));
        String what = "reading the engine's events";
        // until lies a second ahead: podman's service leaves out events of the current second.
        try (InputStream stream = call(what, () -> clients.api().events(now - EngineTimes.EXIT_EVENT_LOOKBACK.toSeconds(), now + 1,
                 false, filters));
             MappingIterator<JsonNode> events = json.readerFor(JsonNode.class).readValues(stream)) {
            while (events.hasNextValue()) {
                JsonNode event = events.nextValue();
                if (id.equals(event.path("id").asText())) {
                    return EngineTimes.ofEvent(event);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new EngineException("the engine's answer to " + what + " could not be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Integer> exitCode(String id) {
        ContainerInspect inspect = call("inspecting container " + id, () -> clients.api().inspectContainer(id));
        if (inspect.state() == null || Boolean.TRUE.equals(inspect.state().running())) {
            return Optional.empty();
        }
        return Optional.ofNullable(inspect.state().exitCode());
    }

    @Override
    public List<String> lastOutput(String id, int lines) {
        String what = "reading the output of " + id;
        try (InputStream output = call(what, () -> clients.api().logs(id, true, true, Integer.toString(lines)))) {
            return StreamFrames.text(output, new OutputTail()).lines().toList();
        } catch (IOException e) {
            throw new EngineException("the engine's answer to " + what + " could not be read: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ContainerSummary> listByLabel(String label, String value) {
        String filters = filters(Map.of("label", List.of(label + "=" + value)));
        return call("listing containers labelled " + label + "=" + value,
            () -> clients.api().listContainers(true, filters)).stream()
            .map(entry -> new ContainerSummary(entry.id(), "running".equals(entry.state()),
                Instant.ofEpochSecond(entry.created()), entry.labels()))
            .sorted(Comparator.comparing(ContainerSummary::created).reversed())
            .toList();
    }

    @Override
    public List<ContainerStatus> running() {
        return statuses(false, null);
    }

    @Override
    public List<ContainerStatus> labelled(String label) {
        return statuses(true, filters(Map.of("label", List.of(label))));
    }

    /** Listed, then inspected one by one: the listing carries no pid nor exit times. */
    private List<ContainerStatus> statuses(boolean all, String filters) {
        List<ContainerStatus> found = new ArrayList<>();
        for (DockerModel.ContainerListEntry entry : call("listing containers", () -> clients.api().listContainers(all, filters))) {
            try {
                found.add(DockerMapping.toStatus(call("inspecting container " + entry.id(),
                    () -> clients.api().inspectContainer(entry.id()))));
            } catch (EngineException.NotFound removedMeanwhile) {
                // gone between the listing and the inspect: not there any more
            }
        }
        return found;
    }

    @Override
    public void remove(String id) {
        call("removing container " + id, () -> {
            clients.api().removeContainer(id, true);
            return null;
        });
    }

    private String filters(Map<String, List<String>> filters) {
        try {
            return json.writeValueAsString(filters);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Engine errors pass through; anything else (refused, timed out) says which engine and which call. */
    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EngineException("no answer from " + clients.address() + " while " + what + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        clients.close();
    }
}
