package dev.waitdaemon.runtime.docker;

import java.io.InputStream;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.waitdaemon.runtime.docker.DockerModel.ContainerInspect;
import dev.waitdaemon.runtime.docker.DockerModel.ContainerListEntry;
import dev.waitdaemon.runtime.docker.DockerModel.CreatedContainer;
import dev.waitdaemon.runtime.docker.DockerModel.EngineVersion;

/**
 * The Docker Engine API calls waitdaemon makes (served by dockerd and by podman's compatible API).
 * Clients are built by {@link DockerClients} on a base URI that already carries the API version.
 */
@RegisterRestClient
@RegisterProvider(DockerErrorMapper.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface DockerEngineApi {

    /** Unversioned; its Api-Version header is the engine's newest API version. */
    @GET
    @Path("/_ping")
    @Produces(MediaType.TEXT_PLAIN)
    Response ping();

    @GET
    @Path("/version")
    EngineVersion version();

    /** As a tree: its whole Config is what a container of it has by default ({@link DockerMapping#toImageInfo}). */
    @GET
    @Path("/images/{name}/json")
    JsonNode inspectImage(@PathParam("name") String name);

    /** Streams newline-separated progress objects; read it to the end. */
    @POST
    @Path("/images/create")
    InputStream pullImage(@QueryParam("fromImage") String fromImage, @QueryParam("tag") String tag,
                          @HeaderParam("X-Registry-Auth") String registryAuth);

    @GET
    @Path("/containers/{id}/json")
    ContainerInspect inspectContainer(@PathParam("id") String id);

    /** The same, as a tree: a clone and a target copy its Config and HostConfig whole ({@link DockerMapping}). */
    @GET
    @Path("/containers/{id}/json")
    JsonNode inspectContainerTree(@PathParam("id") String id);

    /** The request as {@link DockerMapping#toCreateRequest} builds it: the copied container's settings, changed. */
    @POST
    @Path("/containers/create")
    CreatedContainer createContainer(ObjectNode request);

    @POST
    @Path("/containers/{id}/start")
    void startContainer(@PathParam("id") String id);

    /**
     * podman's libpod API only (its service takes it under the compatible API's version prefix): the OCI
     * runtime's create of a created container, whose process then waits to be started. 304 when it was.
     */
    @POST
    @Path("/libpod/containers/{id}/init")
    void initContainer(@PathParam("id") String id);

    /** {@code filters} is Docker's JSON map, e.g. {"label":["waitdaemon.phase=clone"]}. */
    @GET
    @Path("/containers/json")
    List<ContainerListEntry> listContainers(@QueryParam("all") boolean all, @QueryParam("filters") String filters);

    /** Output as a raw stream (a TTY's) or docker's multiplexed frames; {@link StreamFrames} reads both. */
    @GET
    @Path("/containers/{id}/logs")
    @Produces(MediaType.WILDCARD)
    InputStream logs(@PathParam("id") String id, @QueryParam("stdout") boolean stdout,
                     @QueryParam("stderr") boolean stderr, @QueryParam("tail") String tail);

    /**
     * Events between {@code since} and {@code until} (Unix seconds), a stream of JSON objects; podman's
     * service needs {@code stream=false} to end it. {@code filters} as for listContainers.
     */
    @GET
    @Path("/events")
    InputStream events(@QueryParam("since") long since, @QueryParam("until") long until,
                       @QueryParam("stream") boolean stream, @QueryParam("filters") String filters);

    @DELETE
    @Path("/containers/{id}")
    void removeContainer(@PathParam("id") String id, @QueryParam("force") boolean force);
}
