package dev.waitdaemon.dryrun;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.waitdaemon.config.Settings;
import dev.waitdaemon.phase.ContainerPlan;
import dev.waitdaemon.phase.FirstFork;
import dev.waitdaemon.phase.ImagePull;
import dev.waitdaemon.phase.OwnContainerLookup;
import dev.waitdaemon.phase.PhaseException;
import dev.waitdaemon.registry.CredentialSource;
import dev.waitdaemon.runtime.ContainerInfo;
import dev.waitdaemon.runtime.ContainerRuntime;
import dev.waitdaemon.runtime.ContainerSpec;
import dev.waitdaemon.runtime.ImageInfo;
import dev.waitdaemon.runtime.OwnContainer;
import dev.waitdaemon.support.EventLog;

/**
 * WAITDAEMON_DRY_RUN: the first fork's checks (the settings and the runtime were checked before this
 * runs), then a print-out of the clone and the target it would create; nothing is pulled or created.
 * Outside any container (a developer's shell, {@code quarkus dev}) it plans from this process itself.
 */
@ApplicationScoped
public class DryRun {

    private final OwnContainer own;
    private final ImagePull pull;
    private final CredentialSource credentials;
    private final EventLog log;
    private final PrintStream out;

    @Inject
    public DryRun(OwnContainer own, ImagePull pull, CredentialSource credentials, EventLog log) {
        this(own, pull, credentials, log, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    DryRun(OwnContainer own, ImagePull pull, CredentialSource credentials, EventLog log, PrintStream out) {
        this.own = own;
        this.pull = pull;
        this.credentials = credentials;
        this.log = log;
        this.out = out;
    }

    /** {@code command} is this process's arguments: the action's command. */
    public void run(Settings settings, ContainerRuntime runtime, List<String> command) throws PhaseException {
        String image = pull.checkWithoutPulling(settings.image(), runtime);
        Optional<ContainerInfo> found = own.inspectWith(runtime, command);
        ContainerInfo action;
        String actionLine;
        ImageInfo waitdaemonImage;
        if (found.isPresent()) {
            action = found.get();
            log.context("actionId", action.id());
            actionLine = "container " + action.id();
            waitdaemonImage = runtime.inspectImage(action.imageId()).orElse(new ImageInfo(action.imageId(), List.of()));
        } else if (own.insideAContainer()) {
            throw OwnContainerLookup.notFound(own, "action");
        } else {
            action = own.outsideAnyContainer(command);
            actionLine = "not inside a container: planned from this process's environment and arguments, "
                + "with the engine's default host settings";
            waitdaemonImage = new ImageInfo(action.imageId(), List.of());
            log.warn("not inside a container: the dry run plans from this process's environment and arguments");
        }
        List<String> credentialsFiles = credentials.configFiles();
        ContainerSpec clone = ContainerPlan.clone(action, settings.image(), credentialsFiles);
        // What would stop the action stops its dry run too.
        FirstFork.requireCarried(runtime, clone);
        ContainerSpec target = ContainerPlan.target(asCreated(clone), settings.image(), waitdaemonImage);

        List<String> lines = new ArrayList<>();
        lines.add("waitdaemon dry run: nothing was pulled or created");
        lines.add("  runtime: " + runtime.name());
        lines.add("  IMAGE " + settings.image().canonical() + ": " + image);
        lines.add("  action: " + actionLine);
        ContainerPlan.credentialsMasks(action, credentialsFiles).forEach(file ->
            lines.add("  the registry credentials file " + file + " is masked with an empty file in the clone and the target"));
        List<String> uncarried = runtime.uncarried(clone);
        if (!uncarried.isEmpty()) {
            lines.add("  " + runtime.name() + " has no way to give these settings of the action to the clone and the target: "
                + String.join(", ", uncarried));
        }
        lines.addAll(PlanText.render("clone (started now; the action then exits 0):", clone));
        lines.addAll(PlanText.render("target (started " + settings.waitTime().toSeconds()
            + " s after the action has exited):", target));
        lines.forEach(out::println);
        out.flush();
        log.info("dry run: nothing was pulled or created", "imageCheck", image);
    }

    /** The clone as the engine would report it once created: what the target is planned from. */
    private static ContainerInfo asCreated(ContainerSpec clone) {
        return new ContainerInfo("", clone.image(), clone.entrypoint(), clone.cmd(), clone.env(), clone.labels(), clone.tty(),
            clone.host(), Set.of(), clone.inherited(), null, clone.origin());
    }
}
