package scorerci.pulumi;

import scorerci.stack.DeployedFunction;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import scorerci.core.Actions;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.zip.VerifiedZip;

/**
 * The whole of {@code deploy}, in the order the original pipeline ran it: the checks that change
 * nothing (cheapest first), the zip, {@code npm ci}, then stack select → preview → confirmation →
 * up → verification.
 *
 * <p>It reports while it runs because some of it must be seen before the flow may go on, or even
 * when it fails: Pulumi's output in log groups, the preview before the confirmation question, the
 * job summary of a failed preview or half-applied update, the step outputs of what was already
 * done. Result lines go to {@code results} (the command's stdout, printed even with --quiet), the
 * rest through {@link Log} and {@link Actions}; the flow itself never prints.
 */
public final class DeployFlow {
    /** Fetches the artifact of a build's tag into a directory: the command runs download-artifact. */
    @FunctionalInterface
    public interface ArtifactDownload {
        void download(String tag, Path dest);
    }

    /**
     * What was done.
     *
     * @param applied null with --preview-only
     * @param proven  what the verification proved, one line; null when nothing was applied or --skip-verify
     */
    public record Outcome(VerifiedZip zip, PreviewDigest preview, UpdateEvents applied, String proven) {}

    private final Map<String, String> env;
    private final BufferedReader answers;
    private final Log log;
    private final Actions actions;
    private final Consumer<String> results;
    private final DeploymentVerification.LambdaCheck lambdaCheck;

    /**
     * @param answers where the confirmation's answer is read (stdin)
     * @param results result lines: the command prints them on stdout even with --quiet
     * @param lambdaCheck proves the deployed function serves the zip (scorerci.lambda's verifier); null: none
     *                    available, so only --preview-only or --skip-verify may run
     */
    public DeployFlow(Map<String, String> env, BufferedReader answers, Log log, Actions actions,
                      Consumer<String> results, DeploymentVerification.LambdaCheck lambdaCheck) {
        this.env = env;
        this.answers = answers;
        this.log = log;
        this.actions = actions;
        this.results = results;
        this.lambdaCheck = lambdaCheck;
    }

    public Outcome run(DeployRequest request, ArtifactDownload download) {
        // checks that change nothing, cheapest first
        Path pulumiBinary = DeployPreflight.pulumiBinary(env);
        DeployPreflight.project(request);
        String aws = DeployPreflight.awsCredentials(env);
        if (!request.previewOnly() && !request.skipVerify() && lambdaCheck == null) {
            throw DeploymentVerification.unavailable();
        }
        String login = DeployPreflight.pulumiLogin(env,
                new PulumiCli(pulumiBinary, request.projectDir(), env, log, Duration.ofMinutes(2)));
        log.progress("credentials: " + aws + "; " + login);
        VerifiedZip zip = ZipToDeploy.find(request, download);
        log.info(DeployReport.zipLine(zip));
        actions.output("code-sha256", zip.codeSha256());

        // inside Actions stdout, so that the tools' lines stay inside their log group
        Consumer<String> toolOutput = actions.inActions() ? log::info : log::progress;
        installDependencies(request, toolOutput);
        PulumiCli pulumi = new PulumiCli(pulumiBinary, request.projectDir(),
                Deployment.pulumiEnvironment(env, request, zip), log, Deployment.PULUMI_TIMEOUT);
        Deployment deployment = new Deployment(request, pulumi, actions::group, toolOutput);
        PreviewDigest preview = preview(request, zip, deployment);
        if (request.previewOnly()) return new Outcome(zip, preview, null, null);

        confirm(request, preview.summary());
        UpdateEvents applied = apply(request, deployment);
        if (request.skipVerify()) {
            log.warn("--skip-verify: the deployed function was not checked against " + zip.path().getFileName());
            return new Outcome(zip, preview, applied, null);
        }
        return new Outcome(zip, preview, applied, verify(pulumi, request, zip));
    }

    private void installDependencies(DeployRequest request, Consumer<String> toolOutput) {
        String stale = InfraDependencies.staleReason(request.infraDir());
        if (stale == null) return;
        try (Actions.Group group = actions.group("npm ci in " + request.infraDir().getFileName() + " (" + stale + ")")) {
            InfraDependencies.ensureInstalled(request.infraDir(), env, toolOutput);
        }
    }

    /** Selects the stack and previews; shows the plan (stdout, job summary, step outputs). */
    private PreviewDigest preview(DeployRequest request, VerifiedZip zip, Deployment deployment) {
        PreviewDigest preview;
        try {
            deployment.selectStack();
            preview = deployment.preview();
        } catch (PipelineException e) {
            actions.summary(DeployReport.failedMarkdown("preview", request, e.getMessage(), null));
            throw e;
        }
        results.accept(DeployReport.previewLine(request, preview.summary()));
        preview.changes().forEach(c -> log.result(c.line()));
        actions.summary(DeployReport.previewMarkdown(request, zip, preview));
        DeployReport.outputs(preview.summary()).forEach(actions::output);
        return preview;
    }

    private void confirm(DeployRequest request, ChangeSummary planned) {
        if (request.yes() || Confirmation.ask(request, planned, answers, log.err())) return;
        throw PipelineException.aborted("deploy to " + request.environment().id() + " declined: nothing was applied; "
                + (request.environment().confirmByTypingName() ? "type '" + request.environment().id() + "'"
                : "answer yes") + " when asked, or pass --yes in CI");
    }

    /** Runs the update; what it changed reaches the job summary even when it fails half way. */
    private UpdateEvents apply(DeployRequest request, Deployment deployment) {
        UpdateEvents applied = new UpdateEvents();
        try {
            deployment.up(applied);
        } catch (PipelineException e) {
            actions.summary(DeployReport.failedMarkdown("up", request, e.getMessage(), applied));
            throw e;
        }
        results.accept(DeployReport.appliedLine(request, applied));
        actions.summary(DeployReport.appliedMarkdown(request, applied));
        DeployReport.outputs(applied.summary()).forEach(actions::output);
        return applied;
    }

    /**
     * Reads the stack outputs ({@code pulumi stack output --json}) and hands the deployed function
     * (name, alias, Pulumi's CodeSha256) and the zip to {@link DeploymentVerification}, whose Lambda
     * check proves the function serves this zip.
     */
    private String verify(PulumiCli pulumi, DeployRequest request, VerifiedZip zip) {
        DeployedFunction function = StackOutputs.read(pulumi, request.stack());
        actions.output("function-name", function.functionName());
        return DeploymentVerification.verify(function, zip, request.region(), env, log, lambdaCheck);
    }
}
