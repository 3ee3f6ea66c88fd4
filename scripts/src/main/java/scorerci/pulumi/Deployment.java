package scorerci.pulumi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import scorerci.core.Actions;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;
import scorerci.zip.VerifiedZip;

/**
 * The Pulumi half of a deploy, in the original pipeline's order, run in infra/aws:
 *
 * <ol>
 *   <li>{@code pulumi stack select -c <stack>} and {@code pulumi config set aws:region <region> -s
 *       <stack>};
 *   <li>{@code pulumi preview --diff --json}: the plan, machine-readable (its digest's steps and
 *       changeSummary), shown as one line per changed resource;
 *   <li>{@code pulumi up --yes --skip-preview --json}: the update, streamed as engine events; with
 *       an approved plan {@code pulumi up --yes --plan FILE --json} instead.
 * </ol>
 *
 * Why up skips its own preview: the plan the user (or the approval gate) saw is the preview above;
 * a second preview inside up would be applied without being seen, and costs another program run.
 * That is also what pulumi/actions does for `command: up` (the Automation API passes
 * --skip-preview).
 *
 * <p>Every call names the stack (--stack) instead of trusting the workspace's selected stack, and
 * runs with --non-interactive. Each step's output goes to a log group; a failing step is
 * TOOL_FAILED with Pulumi's own error line.
 */
public final class Deployment {
    /** How long one preview or up may run. */
    public static final Duration PULUMI_TIMEOUT = Duration.ofMinutes(60);

    private final DeployRequest request;
    private final PulumiCli pulumi;
    private final Function<String, Actions.Group> groups;
    private final Consumer<String> toolOutput;
    private final Consumer<String> debugOutput;

    /**
     * @param groups opens a log group (Actions::group)
     * @param toolOutput where Pulumi's lines are streamed (already redacted by the caller)
     * @param debugOutput where Pulumi's debug diagnostics go: the -v log, or nowhere
     */
    public Deployment(
            DeployRequest request,
            PulumiCli pulumi,
            Function<String, Actions.Group> groups,
            Consumer<String> toolOutput,
            Consumer<String> debugOutput) {
        this.request = request;
        this.pulumi = pulumi;
        this.groups = groups;
        this.toolOutput = toolOutput;
        this.debugOutput = debugOutput;
    }

    /**
     * The command's environment plus what infra/aws reads: the zip's absolute path and the build's
     * tag.
     */
    public static Map<String, String> pulumiEnvironment(
            Map<String, String> env, DeployRequest request, VerifiedZip zip) {
        Map<String, String> result = new LinkedHashMap<>(env);
        result.put("RUST_SCORER_ZIP", zip.path().toAbsolutePath().toString());
        if (request.tag() != null) result.put("DOCKER_IMAGE_TAG", request.tag());
        if (request.savePlan() != null || request.plan() != null)
            result.putAll(SavedPlan.EXPERIMENTAL);
        return result;
    }

    /** Selects the stack, creating it if it does not exist yet, and pins its region. */
    public void selectStack() {
        try (Actions.Group group = groups.apply("pulumi stack select " + request.stack())) {
            pulumi.runOrFail(
                    toolOutput, "stack", "select", "-c", request.stack(), "--non-interactive");
            pulumi.runOrFail(
                    toolOutput,
                    "config",
                    "set",
                    "aws:region",
                    request.region(),
                    "-s",
                    request.stack(),
                    "--non-interactive");
        }
    }

    /**
     * `pulumi preview --diff --json`; with savePlan also `--save-plan savePlan` (the file pulumi
     * writes).
     */
    public PreviewDigest preview(Path savePlan) {
        List<String> argList =
                new ArrayList<>(
                        List.of(
                                "preview",
                                "--diff",
                                "--json",
                                "--non-interactive",
                                "--stack",
                                request.stack()));
        if (savePlan != null) argList.addAll(List.of("--save-plan", savePlan.toString()));
        String[] args = argList.toArray(String[]::new);
        try (Actions.Group group = groups.apply("pulumi preview " + request.stack())) {
            toolOutput.accept("$ pulumi " + String.join(" ", args));
            ExternalProcess.Result result = pulumi.run(line -> {}, args);
            PreviewDigest digest = PreviewDigest.parse(result.output());
            if (digest == null) {
                result.output().lines().map(PulumiText::plain).forEach(toolOutput);
                if (!result.ok())
                    throw PulumiCli.failed(result, PulumiCli.reason(result.output()), args);
                throw PipelineException.toolFailed(
                        "pulumi preview --json printed no JSON object (is `pulumi` the "
                                + "Pulumi CLI, version 3?): "
                                + PulumiCli.reason(result.output()));
            }
            digest.otherLines().forEach(toolOutput);
            digest.debug().forEach(debugOutput);
            digest.warnings().forEach(w -> toolOutput.accept("warning: " + w));
            digest.changes().forEach(c -> toolOutput.accept(c.line()));
            digest.errors().forEach(e -> toolOutput.accept("error: " + e));
            digest.hostErrors().forEach(toolOutput);
            toolOutput.accept("Resources: " + digest.summary().describe(false));
            if (!result.ok() || !digest.errors().isEmpty()) {
                // the first error is the cause; later ones ("preview failed") only say that it
                // failed
                throw PulumiCli.failed(
                        result,
                        digest.cause() == null ? PulumiCli.reason(result.output()) : digest.cause(),
                        args);
            }
            return digest;
        }
    }

    /**
     * Runs the update, feeding its events to events (which keeps what happened even if it fails).
     * With an approved plan: `pulumi up --plan`, which previews against the plan before it changes
     * anything and stops when a step leaves it; that refusal is STALE_PLAN, not a tool failure.
     */
    public UpdateEvents up(UpdateEvents events, Path approvedPlan) {
        List<String> argList = new ArrayList<>(List.of("up", "--yes"));
        // without a plan, up skips its own preview (see the class comment); with one, that preview
        // is the check
        argList.addAll(
                approvedPlan == null
                        ? List.of("--skip-preview")
                        : List.of("--plan", approvedPlan.toString()));
        argList.addAll(List.of("--json", "--non-interactive", "--stack", request.stack()));
        String[] args = argList.toArray(String[]::new);
        try (Actions.Group group = groups.apply("pulumi up " + request.stack())) {
            toolOutput.accept("$ pulumi " + String.join(" ", args));
            // with --plan, up first prints its preview as one indented JSON object, then the event
            // lines
            PlanPreview planPreview = new PlanPreview();
            ExternalProcess.Result result =
                    pulumi.run(
                            line -> {
                                if (approvedPlan != null && planPreview.accept(line)) return;
                                String readable = events.accept(line);
                                if (readable != null) toolOutput.accept(readable);
                            },
                            args);
            List<String> errors = new ArrayList<>(planPreview.errors());
            errors.addAll(events.errors());
            if (!result.ok()) {
                String cause =
                        !planPreview.errors().isEmpty()
                                ? PulumiText.oneLine(planPreview.errors().get(0))
                                : events.cause() != null
                                        ? events.cause()
                                        : PulumiText.oneLine(PulumiCli.reason(result.output()));
                if (approvedPlan != null && errors.stream().anyMatch(SavedPlan::isViolation)) {
                    String violation =
                            PulumiText.oneLine(
                                    errors.stream()
                                            .filter(SavedPlan::isViolation)
                                            .findFirst()
                                            .orElse(cause));
                    throw PipelineException.stalePlan(
                            "pulumi refused the approved plan for "
                                    + request.stack()
                                    + ": the program or the stack changed since the plan was saved ("
                                    + violation
                                    + "); "
                                    + (events.applied().isEmpty()
                                            ? "nothing was applied"
                                            : events.applied().size()
                                                    + " resource(s) were changed before the refusal, see the summary")
                                    + ". Preview again with --save-plan and approve the new plan");
                }
                throw PulumiCli.failed(result, cause, args);
            }
            return events;
        }
    }

    /**
     * The preview `pulumi up --plan` prints before it applies anything: an indented JSON object
     * from a line "{" to a line "}". Its lines are held back and parsed as a {@link PreviewDigest};
     * its errors (a step that leaves the plan) are shown and kept.
     */
    private final class PlanPreview {
        private final StringBuilder text = new StringBuilder();
        private boolean inside;
        private boolean done;
        private List<String> errors = List.of();

        /** True if the line belongs to the preview object (and is consumed here). */
        boolean accept(String line) {
            if (done) return false;
            if (!inside) {
                if (!line.equals("{")) return false;
                inside = true;
            }
            text.append(line).append('\n');
            if (line.equals("}")) {
                inside = false;
                done = true;
                PreviewDigest digest = PreviewDigest.parse(text.toString());
                if (digest != null) {
                    digest.changes().forEach(c -> toolOutput.accept(c.line()));
                    digest.errors().forEach(e -> toolOutput.accept("error: " + e));
                    errors = digest.errors();
                }
            }
            return true;
        }

        List<String> errors() {
            return errors;
        }
    }
}
