package dev.waitdaemon.runtime.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Docker Engine API payloads waitdaemon reads (the subset it uses; unknown fields are ignored) and
 * the parts it writes; a create request is a copy of an inspect's tree (DockerMapping), so that nothing
 * is lost on the way. Docker spells fields in UpperCamelCase; pull progress is the exception.
 * Every record is registered for reflection: Jackson reaches their constructors and accessors that way
 * in a native image, and the pull stream's records are read by our own ObjectMapper, not by the client.
 */
@RegisterForReflection(targets = {
    DockerModel.EngineVersion.class, DockerModel.ImageInspect.class, DockerModel.ImageConfig.class,
    DockerModel.ContainerInspect.class, DockerModel.ContainerConfig.class, DockerModel.ContainerState.class,
    DockerModel.HostConfig.class, DockerModel.Mount.class, DockerModel.BindOptions.class, DockerModel.Device.class,
    DockerModel.CreatedContainer.class, DockerModel.ContainerListEntry.class,
    DockerModel.ErrorMessage.class, DockerModel.PullProgress.class })
public final class DockerModel {

    private DockerModel() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record EngineVersion(String version, String apiVersion, String os, String arch) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ImageInspect(String id, ImageConfig config, List<String> repoDigests) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ImageConfig(List<String> env, List<String> entrypoint) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ContainerInspect(String id, String image, String created, ContainerConfig config, HostConfig hostConfig,
                                   ContainerState state) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ContainerConfig(String image, List<String> entrypoint, List<String> cmd, List<String> env,
                                  Map<String, String> labels, Boolean tty) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ContainerState(String status, Boolean running, Long pid, String startedAt, String finishedAt,
                                 Integer exitCode) {
    }

    /** Read from an inspect; on create the inspected tree itself is written back, with these laid over it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record HostConfig(Boolean privileged, String pidMode, String networkMode, String ipcMode,
                             @JsonProperty("UTSMode") String utsMode, List<String> binds, List<Mount> mounts,
                             List<String> capAdd, List<String> capDrop, List<Device> devices,
                             List<String> securityOpt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Mount(String type, String source, String target, Boolean readOnly, BindOptions bindOptions) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record BindOptions(String propagation) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Device(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record CreatedContainer(String id, List<String> warnings) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ContainerListEntry(String id, String state, long created, Map<String, String> labels) {
    }

    /** The body of every Docker error response. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorMessage(String message) {
    }

    /** One object of the /images/create progress stream; a failure arrives as error inside a 200. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PullProgress(String status, String error, ErrorMessage errorDetail) {
    }
}
