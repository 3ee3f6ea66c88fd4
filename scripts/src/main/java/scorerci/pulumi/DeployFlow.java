package scorerci.pulumi;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import scorerci.core.Actions;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.core.SecretRegistry;
import scorerci.core.Stage;
import scorerci.stack.DeployedFunction;
import scorerci.zip.VerifiedZip;

/**
 * The whole of {@code deploy}, in the order the original pipeline ran it: the checks that change
 * nothing (cheapest first: CLI, project, AWS credentials, Pulumi login and backend, the stack's
 * passphrase, an approved plan's digest), the zip, {@code npm ci}, then stack select → preview
 * (saving the plan with --save-plan) → confirmation → up (following the plan with --plan) →
 * verification.
 *
 * <p>It reports while it runs because some of it must be seen before the flow may go on, or even
 * when it fails: Pulumi's output in log groups, the preview before the confirmation question, the
 * job summary of a failed preview or half-applied update, the step outputs of what was already
 * done. Result lines go to {@code results} (the command's stdout, printed even with --quiet), the
 * rest through {@link Log} and {@link Actions}; the flow itself never prints.
 */
public final class DeployFlow implements Stage<DeployRequest, DeployFlow.Outcome> {
    /**
     * Fetches the artifact of a build's tag into a directory (deploy --tag with the zip absent):
     * the command hands in the download-artifact stage, so this package needs nothing of artifacts.
     */
    @FunctionalInterface
    public interface ArtifactDownload {
        void download(String tag, Path dest);
    }

    /**
     * What was done.
     *
     * @param stack the stack it ran on (the backend's full name)
     * @param preview null when an approved plan was applied (--plan)
     * @param planned what the preview or the approved plan said would change
     * @param planSha256 the saved plan's digest (--save-plan), else null
     * @param applied null with --preview-only
     * @param functionName the function the verification checked; null when none ran
     * @param proven what the verification proved, one line; null when nothing was applied or
     *     --skip-verify
     */
    public record Outcome(
            String stack,
            VerifiedZip zip,
            PreviewDigest preview,
            ChangeSummary planned,
            String planSha256,
            UpdateEvents applied,
            String functionName,
            String proven) {}

    private final Map<String, String> env;
    private final BufferedReader answers;
    private final Log log;
    private final Actions actions;
    private final Consumer<String> results;
    private final PostDeployCheck.LambdaCheck lambdaCheck;
    private final ArtifactDownload download;

    /**
     * @param answers where the confirmation's answer is read (stdin)
     * @param results result lines: the command prints them on stdout even with --quiet
     * @param lambdaCheck proves the deployed function serves the zip (scorerci.lambda's verifier);
     *     null: none available, so only --preview-only or --skip-verify may run
     * @param download fetches the zip of --tag when it is absent
     */
    public DeployFlow(
            Map<String, String> env,
            BufferedReader answers,
            Log log,
            Actions actions,
            Consumer<String> results,
            PostDeployCheck.LambdaCheck lambdaCheck,
            ArtifactDownload download) {
        this.env = env;
        this.answers = answers;
        this.log = log;
        this.actions = actions;
        this.results = results;
        this.lambdaCheck = lambdaCheck;
        this.download = download;
    }

    @Override
    public Outcome run(DeployRequest asked) {
        try {
            return runChecked(asked);
        } catch (PipelineException e) {
            // Pulumi's own words reach the exit message: no secret value in them, ever
            String redacted = SecretRegistry.redact(e.getMessage());
            if (redacted.equals(e.getMessage())) throw e;
            throw new PipelineException(e.exitCode(), redacted, e);
        }
    }

    private Outcome runChecked(DeployRequest asked) {
        // checks that change nothing, cheapest first
        DeployPreflight.SECRET_VARIABLES.forEach(name -> SecretRegistry.register(env.get(name)));
        Path pulumiBinary = DeployPreflight.pulumiBinary(env);
        DeployPreflight.project(asked);
        String aws = DeployPreflight.awsCredentials(env);
        if (!asked.previewOnly() && !asked.skipVerify() && lambdaCheck == null) {
            throw PostDeployCheck.unavailable();
        }
        DeployPreflight.Login login =
                DeployPreflight.pulumiLogin(
                        env,
                        new PulumiCli(
                                pulumiBinary, asked.projectDir(), env, log, Duration.ofMinutes(2)));
        DeployRequest request = asked.onBackend(login.backend());
        String passphrase = DeployPreflight.passphrase(env, login.backend(), request);
        log.progress(
                "credentials: "
                        + aws
                        + "; "
                        + login.description()
                        + (passphrase == null ? "" : "; " + passphrase)
                        + "; stack "
                        + request.stack());
        Path approvedPlan =
                request.plan() == null
                        ? null
                        : SavedPlan.verifiedCopy(
                                request.plan(), request.planSha256(), privateDir());
        VerifiedZip zip = ZipToDeploy.find(request, download);
        log.info(DeployReport.zipLine(zip));
        actions.output("code-sha256", zip.codeSha256());

        // inside Actions stdout, so that the tools' lines stay inside their log group
        Consumer<String> shown = actions.inActions() ? log::info : log::progress;
        Consumer<String> toolOutput = line -> shown.accept(SecretRegistry.redact(line));
        Consumer<String> debugOutput = log.verbose() ? toolOutput : line -> {};
        installDependencies(request, toolOutput);
        PulumiCli pulumi =
                new PulumiCli(
                        pulumiBinary,
                        request.projectDir(),
                        Deployment.pulumiEnvironment(env, request, zip),
                        log,
                        Deployment.PULUMI_TIMEOUT);
        Deployment deployment =
                new Deployment(request, pulumi, actions::group, toolOutput, debugOutput);
        PreviewDigest preview = null;
        ChangeSummary planned;
        String planSha256 = null;
        if (approvedPlan == null) {
            preview = preview(request, zip, deployment, pulumi);
            planned = preview.summary();
            if (request.savePlan() != null) planSha256 = SavedPlan.sha256(request.savePlan());
            if (request.previewOnly())
                return new Outcome(
                        request.stack(), zip, preview, planned, planSha256, null, null, null);
        } else {
            selectStack(request, deployment, pulumi);
            planned = SavedPlan.summary(approvedPlan);
            results.accept(DeployReport.planLine(request, planned));
        }

        confirm(request, planned);
        UpdateEvents applied = apply(request, deployment, approvedPlan, debugOutput);
        if (request.skipVerify()) {
            log.warn(
                    "--skip-verify: the deployed function was not checked against "
                            + zip.path().getFileName());
            return new Outcome(
                    request.stack(), zip, preview, planned, planSha256, applied, null, null);
        }
        DeployedFunction function = StackOutputs.read(pulumi, request.stack());
        actions.output("function-name", function.functionName());
        String proven =
                PostDeployCheck.verify(function, zip, request.region(), env, log, lambdaCheck);
        return new Outcome(
                request.stack(),
                zip,
                preview,
                planned,
                planSha256,
                applied,
                function.functionName(),
                proven);
    }

    /** A directory only this user can read, for the verified copy of an approved plan. */
    private static Path privateDir() {
        try {
            return Files.createTempDirectory(
                    "scorer-deploy-plan",
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot create a private temp directory for the plan: " + e.getMessage());
        }
    }

    private void installDependencies(DeployRequest request, Consumer<String> toolOutput) {
        if (!DeployPreflight.isNodeProject(request.projectDir())) return;
        String stale = InfraDependencies.staleReason(request.infraDir());
        if (stale == null) return;
        try (Actions.Group group =
                actions.group(
                        "npm ci in " + request.infraDir().getFileName() + " (" + stale + ")")) {
            InfraDependencies.ensureInstalled(request.infraDir(), env, toolOutput);
        }
    }

    /**
     * Selects the stack, then learns its secret config values, so that they are masked in Actions
     * and redacted from every line we show (Pulumi's debug output carries them in plain text).
     */
    private void selectStack(DeployRequest request, Deployment deployment, PulumiCli pulumi) {
        deployment.selectStack();
        StackSecrets.read(pulumi, request.stack()).forEach(SecretRegistry::register);
    }

    /** Selects the stack and previews; shows the plan (stdout, job summary, step outputs). */
    private PreviewDigest preview(
            DeployRequest request, VerifiedZip zip, Deployment deployment, PulumiCli pulumi) {
        PreviewDigest preview;
        Path writing = request.savePlan() == null ? null : SavedPlan.tempBeside(request.savePlan());
        try {
            selectStack(request, deployment, pulumi);
            preview = deployment.preview(writing);
            if (writing != null) SavedPlan.land(writing, request.savePlan());
        } catch (PipelineException e) {
            actions.summary(
                    DeployReport.failedMarkdown(
                            "preview", request, SecretRegistry.redact(e.getMessage()), null));
            throw e;
        } finally {
            if (writing != null) SavedPlan.discard(writing);
        }
        results.accept(DeployReport.previewLine(request, preview.summary()));
        if (request.savePlan() != null) {
            String sha256 = SavedPlan.sha256(request.savePlan());
            results.accept("plan-sha256: " + sha256);
            actions.output("plan-sha256", sha256);
            actions.summary(DeployReport.planMarkdown(request, sha256));
        }
        preview.changes().forEach(c -> log.result(c.line()));
        actions.summary(DeployReport.previewMarkdown(request, zip, preview));
        DeployReport.outputs(preview.summary()).forEach(actions::output);
        return preview;
    }

    private void confirm(DeployRequest request, ChangeSummary planned) {
        if (request.yes() || Confirmation.ask(request, planned, answers, log.err())) return;
        throw PipelineException.aborted(
                "deploy to "
                        + request.environment().id()
                        + " declined: nothing was applied; "
                        + (request.environment().confirmByTypingName()
                                ? "type '" + request.environment().id() + "'"
                                : "answer yes")
                        + " when asked, or pass --yes in CI");
    }

    /** Runs the update; what it changed reaches the job summary even when it fails half way. */
    private UpdateEvents apply(
            DeployRequest request,
            Deployment deployment,
            Path approvedPlan,
            Consumer<String> debugOutput) {
        UpdateEvents applied = new UpdateEvents(debugOutput);
        try {
            deployment.up(applied, approvedPlan);
        } catch (PipelineException e) {
            actions.summary(
                    DeployReport.failedMarkdown(
                            "up", request, SecretRegistry.redact(e.getMessage()), applied));
            throw e;
        }
        results.accept(DeployReport.appliedLine(request, applied));
        actions.summary(DeployReport.appliedMarkdown(request, applied));
        DeployReport.outputs(applied.summary()).forEach(actions::output);
        return applied;
    }
}
