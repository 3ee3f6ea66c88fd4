package scorerci.pulumi;

import java.time.Duration;
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
 * <ol>
 *   <li>{@code pulumi stack select -c <stack>} and {@code pulumi config set aws:region <region> -s <stack>};</li>
 *   <li>{@code pulumi preview --diff --json}: the plan, machine-readable (its digest's steps and
 *       changeSummary), shown as one line per changed resource;</li>
 *   <li>{@code pulumi up --yes --skip-preview --json}: the update, streamed as engine events.</li>
 * </ol>
 * Why up skips its own preview: the plan the user (or the approval gate) saw is the preview above;
 * a second preview inside up would be applied without being seen, and costs another program run.
 * That is also what pulumi/actions does for `command: up` (the Automation API passes --skip-preview).
 *
 * Every call names the stack (--stack) instead of trusting the workspace's selected stack, and
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

    /**
     * @param groups     opens a log group (Actions::group)
     * @param toolOutput where Pulumi's lines are streamed
     */
    public Deployment(DeployRequest request, PulumiCli pulumi, Function<String, Actions.Group> groups,
                      Consumer<String> toolOutput) {
        this.request = request;
        this.pulumi = pulumi;
        this.groups = groups;
        this.toolOutput = toolOutput;
    }

    /** The command's environment plus what infra/aws reads: the zip's absolute path and the build's tag. */
    public static Map<String, String> pulumiEnvironment(Map<String, String> env, DeployRequest request, VerifiedZip zip) {
        Map<String, String> result = new LinkedHashMap<>(env);
        result.put("RUST_SCORER_ZIP", zip.path().toAbsolutePath().toString());
        if (request.tag() != null) result.put("DOCKER_IMAGE_TAG", request.tag());
        return result;
    }

    /** Selects the stack, creating it if it does not exist yet, and pins its region. */
    public void selectStack() {
        try (Actions.Group group = groups.apply("pulumi stack select " + request.stack())) {
            pulumi.runOrFail(toolOutput, "stack", "select", "-c", request.stack(), "--non-interactive");
            pulumi.runOrFail(toolOutput, "config", "set", "aws:region", request.region(), "-s", request.stack(),
                    "--non-interactive");
        }
    }

    public PreviewDigest preview() {
        String[] args = {"preview", "--diff", "--json", "--non-interactive", "--stack", request.stack()};
        try (Actions.Group group = groups.apply("pulumi preview " + request.stack())) {
            toolOutput.accept("$ pulumi " + String.join(" ", args));
            ExternalProcess.Result result = pulumi.run(line -> {}, args);
            PreviewDigest digest = PreviewDigest.parse(result.output());
            if (digest == null) {
                result.output().lines().forEach(toolOutput);
                if (!result.ok()) throw PulumiCli.failed(result, PulumiCli.reason(result.output()), args);
                throw PipelineException.toolFailed("pulumi preview --json printed no JSON object (is `pulumi` the "
                        + "Pulumi CLI, version 3?): " + PulumiCli.reason(result.output()));
            }
            digest.otherLines().forEach(toolOutput);
            digest.warnings().forEach(w -> toolOutput.accept("warning: " + w));
            digest.changes().forEach(c -> toolOutput.accept(c.line()));
            digest.errors().forEach(e -> toolOutput.accept("error: " + e));
            toolOutput.accept("Resources: " + digest.summary().describe(false));
            if (!result.ok() || !digest.errors().isEmpty()) {
                throw PulumiCli.failed(result, digest.errors().isEmpty() ? PulumiCli.reason(result.output())
                        : oneLine(digest.errors().get(digest.errors().size() - 1)), args);
            }
            return digest;
        }
    }

    /** Runs the update, feeding its events to events (which keeps what happened even if it fails). */
    public UpdateEvents up(UpdateEvents events) {
        String[] args = {"up", "--yes", "--skip-preview", "--json", "--non-interactive", "--stack", request.stack()};
        try (Actions.Group group = groups.apply("pulumi up " + request.stack())) {
            toolOutput.accept("$ pulumi " + String.join(" ", args));
            ExternalProcess.Result result = pulumi.run(line -> {
                String readable = events.accept(line);
                if (readable != null) toolOutput.accept(readable);
            }, args);
            if (!result.ok()) {
                List<String> errors = events.errors();
                throw PulumiCli.failed(result, errors.isEmpty() ? PulumiCli.reason(result.output())
                        : oneLine(errors.get(errors.size() - 1)), args);
            }
            return events;
        }
    }

    /** Pulumi errors span lines ("...:\n\t* cause"); the exit message must be one line. */
    private static String oneLine(String message) {
        return String.join(" ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
