package scorerci.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.actions.Actions;
import scorerci.cli.BaseCommand;
import scorerci.cli.ExitCode;
import scorerci.cli.Main;
import scorerci.cli.PipelineException;
import scorerci.lambda.DeployedArtifact;
import scorerci.lambda.LambdaClients;
import scorerci.pulumi.ChangeSummary;
import scorerci.pulumi.Confirmation;
import scorerci.pulumi.DeployPreflight;
import scorerci.pulumi.DeployReport;
import scorerci.pulumi.DeployRequest;
import scorerci.pulumi.DeployedFunction;
import scorerci.pulumi.Deployment;
import scorerci.pulumi.DeploymentVerification;
import scorerci.pulumi.InfraDependencies;
import scorerci.pulumi.PreviewDigest;
import scorerci.pulumi.PulumiCli;
import scorerci.pulumi.UpdateEvents;
import scorerci.zip.VerifiedZip;

/**
 * {@code deploy ENVIRONMENT}: deploys the rust scorer zip with the OTEL layer through the Pulumi
 * program in infra/, as the original pipeline did, then proves what it deployed.
 *
 * <p>Reads: the zip (--artifact, default rust-scorer-artifact/bootstrap.zip; with --tag and no zip it
 * first runs {@code download-artifact --tag TAG --dest DIR} in-process), infra/ (package.json,
 * package-lock.json, aws/Pulumi.yaml), the environment: PULUMI_ACCESS_TOKEN or PULUMI_BACKEND_URL (else
 * a saved `pulumi login`), AWS credentials (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY [+ AWS_SESSION_TOKEN],
 * AWS_PROFILE, AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, container credentials or a [default] profile),
 * GITHUB_* for Actions; and one answer line on stdin when neither --yes nor --preview-only is given.
 *
 * <p>Runs, in infra/aws, each with --non-interactive: {@code pulumi stack select -c STACK},
 * {@code pulumi config set aws:region REGION -s STACK}, {@code pulumi preview --diff --json},
 * then (unless --preview-only, and after --yes or a typed confirmation: "yes", or the environment's
 * name for production) {@code pulumi up --yes --skip-preview --json}, and {@code pulumi stack output --json}
 * to find the function it verifies. Pulumi gets RUST_SCORER_ZIP (absolute zip path), DOCKER_IMAGE_TAG
 * (with --tag) and PULUMI_SKIP_UPDATE_CHECK=true. {@code npm ci} runs in infra/ first when node_modules
 * is missing or older than the lockfile.
 *
 * <p>Writes: infra/node_modules (npm ci); Pulumi itself writes aws:region into infra/aws/Pulumi.STACK.yaml;
 * the job summary (preview and applied change tables) and step outputs creates, updates, deletes,
 * replaces, sames, changes, function-name and code-sha256.
 *
 * <p>Prints: on stdout the zip, the planned and applied change summaries ("N to create, N to update, ...")
 * and the verification; Pulumi's streamed output in log groups (stderr locally, stdout inside Actions so
 * it stays inside its group). Secrets are masked in Actions and never printed.
 *
 * <p>Exits: 0 deployed (or previewed); 2 bad ENVIRONMENT/--stack/--region/--tag; 3 no pulumi/npm, no
 * credentials, no infra/ project, or verification not available without --skip-verify; 4 invalid zip or
 * the deployed function differs; 5 pulumi or npm failed (Pulumi's error line in the message); 8 no zip
 * (or no stack output naming the function); 9 the confirmation was declined or not given. Every check
 * before `pulumi stack select` leaves the stacks untouched (only `npm ci` may have refreshed node_modules).
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Preview and deploy the rust scorer through the Pulumi program in infra/ (stack "
                + "passportxyz/passport-scorer/ENVIRONMENT), then verify the deployed function.")
public class DeployCommand extends BaseCommand {
    @Mixin
    EnvironmentParameter environment;

    @Option(names = "--stack", paramLabel = "STACK",
            description = "Pulumi stack (default: passportxyz/passport-scorer/ENVIRONMENT).")
    String stack;

    @Option(names = "--tag", paramLabel = "TAG",
            description = "The build's docker tag (short SHA): passed as DOCKER_IMAGE_TAG; if the zip is absent, "
                    + "its artifact rust-scorer-TAG.zip is downloaded first.")
    String tag;

    @Option(names = "--artifact", paramLabel = "PATH", defaultValue = DeployedArtifact.DEFAULT_PATH,
            description = "The zip to deploy (default: ${DEFAULT-VALUE}).")
    String artifact;

    @Option(names = "--preview-only", description = "Stop after pulumi preview (the CI preview job).")
    boolean previewOnly;

    @Option(names = {"-y", "--yes"}, description = "Apply without asking (CI deploy jobs).")
    boolean yes;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = LambdaClients.DEFAULT_REGION,
            description = "AWS region set as the stack's aws:region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--infra", paramLabel = "DIR", defaultValue = "infra",
            description = "The infra/ directory: package.json, and the Pulumi project in aws/ (default: ${DEFAULT-VALUE}).")
    String infra;

    @Option(names = "--skip-verify", description = "Do not check the deployed function against the zip after pulumi up.")
    boolean skipVerify;

    @Override
    protected int execute() {
        DeployRequest request = new DeployRequest(environment.parse(), stack, region,
                context().resolve(artifact), context().resolve(infra), tag, previewOnly, yes, skipVerify);
        PreviewDigest.warmUpInBackground();
        Actions actions = actions();
        Map<String, String> env = context().env();
        DeployPreflight.SECRET_VARIABLES.forEach(name -> actions.mask(context().env(name)));

        // checks that change nothing, cheapest first
        Path pulumiBinary = DeployPreflight.pulumiBinary(env);
        DeployPreflight.project(request);
        String aws = DeployPreflight.awsCredentials(env);
        if (!request.previewOnly() && !request.skipVerify() && !DeploymentVerification.available()) {
            throw DeploymentVerification.unavailable();
        }
        String login = DeployPreflight.pulumiLogin(env,
                new PulumiCli(pulumiBinary, request.projectDir(), env, log(), Duration.ofMinutes(2)));
        log().progress("credentials: " + aws + "; " + login);
        VerifiedZip zip = artifact(request);
        log().info(DeployReport.zipLine(zip));
        actions.output("code-sha256", zip.codeSha256());

        Consumer<String> toolOutput = actions.inActions() ? log()::info : log()::progress;
        String stale = InfraDependencies.staleReason(request.infraDir());
        if (stale != null) {
            try (Actions.Group group = actions.group("npm ci in " + request.infraDir().getFileName() + " (" + stale + ")")) {
                InfraDependencies.ensureInstalled(request.infraDir(), env, toolOutput);
            }
        }

        PulumiCli pulumi = new PulumiCli(pulumiBinary, request.projectDir(),
                Deployment.pulumiEnvironment(env, request, zip), log(), Deployment.PULUMI_TIMEOUT);
        Deployment deployment = new Deployment(request, pulumi, actions::group, toolOutput);
        PreviewDigest preview;
        try {
            deployment.selectStack();
            preview = deployment.preview();
        } catch (PipelineException e) {
            actions.summary(DeployReport.failedMarkdown("preview", request, e.getMessage(), null));
            throw e;
        }
        result(DeployReport.previewLine(request, preview.summary()));
        preview.changes().forEach(c -> log().info(c.line()));
        actions.summary(DeployReport.previewMarkdown(request, zip, preview));
        outputs(actions, preview.summary());
        if (request.previewOnly()) return ExitCode.OK.code;

        if (!request.yes() && !Confirmation.ask(request, preview.summary(), context().stdin(), log().err())) {
            throw PipelineException.aborted("deploy to " + request.environment().id() + " declined: nothing was applied; "
                    + (request.environment().confirmByTypingName() ? "type '" + request.environment().id() + "'"
                    : "answer yes") + " when asked, or pass --yes in CI");
        }
        UpdateEvents applied = new UpdateEvents();
        try {
            deployment.up(applied);
        } catch (PipelineException e) {
            actions.summary(DeployReport.failedMarkdown("up", request, e.getMessage(), applied));
            throw e;
        }
        result(DeployReport.appliedLine(request, applied));
        actions.summary(DeployReport.appliedMarkdown(request, applied));
        outputs(actions, applied.summary());

        if (request.skipVerify()) {
            log().warn("--skip-verify: the deployed function was not checked against " + zip.path().getFileName());
            return ExitCode.OK.code;
        }
        verifyDeployment(pulumi, request, zip, actions);
        return ExitCode.OK.code;
    }

    /**
     * INTEGRATION POINT with scorerci.lambda: reads the stack outputs (`pulumi stack output --json`) and
     * hands the deployed function (name, alias, Pulumi's CodeSha256) and the verified zip to
     * {@link DeploymentVerification}, whose Lambda check proves the function serves this zip.
     */
    private void verifyDeployment(PulumiCli pulumi, DeployRequest request, VerifiedZip zip, Actions actions) {
        DeployedFunction function = DeployedFunction.read(pulumi, request.stack());
        actions.output("function-name", function.functionName());
        String proven = DeploymentVerification.verify(function, zip, request.region(), context().env(), log());
        result("verified  " + proven);
        actions.summary("**Verified:** " + proven + "\n");
    }

    private VerifiedZip artifact(DeployRequest request) {
        Path zip = request.artifact();
        if (!Files.exists(zip)) {
            if (request.tag() == null) {
                throw PipelineException.notFound(zip + " not found: pass --tag <short sha> to download the build's "
                        + "artifact, run `jbang download-artifact@. --tag <short sha> --dest " + zip.getParent()
                        + "`, or build it with `jbang build-zip@.`");
            }
            download(request.tag(), zip.getParent());
            if (!Files.exists(zip)) {
                throw PipelineException.notFound("the artifact for --tag " + request.tag() + " was downloaded into "
                        + zip.getParent() + " but holds no " + zip.getFileName() + ": check the build's upload path, or "
                        + "pass --artifact with the downloaded zip");
            }
        }
        return DeployPreflight.verifiedZip(zip);
    }

    /** Runs the download-artifact command in this process, with this command's context. */
    private void download(String tag, Path dest) {
        if (!spec.root().subcommands().containsKey("download-artifact")) {
            throw PipelineException.prerequisite("--tag needs the download-artifact command, which this build does not "
                    + "have: download rust-scorer-" + tag + ".zip into " + dest + " yourself and rerun without --tag");
        }
        List<String> args = new ArrayList<>(List.of("download-artifact", "--tag", tag, "--dest", dest.toString()));
        if (log().quiet()) args.add("--quiet");
        if (log().verbose()) args.add("--verbose");
        log().progress("zip absent: downloading the artifact for tag " + tag + " into " + dest);
        int code = Main.run(args.toArray(String[]::new), context());
        if (code != 0) {
            ExitCode exit = Arrays.stream(ExitCode.values()).filter(c -> c.code == code).findFirst().orElse(ExitCode.INTERNAL);
            throw new PipelineException(exit, "could not download the artifact for --tag " + tag
                    + " (download-artifact exited " + code + ", its error is above); nothing was deployed");
        }
    }

    private static void outputs(Actions actions, ChangeSummary summary) {
        actions.output("creates", String.valueOf(summary.creates()));
        actions.output("updates", String.valueOf(summary.updates()));
        actions.output("deletes", String.valueOf(summary.deletes()));
        actions.output("replaces", String.valueOf(summary.replaces()));
        actions.output("sames", String.valueOf(summary.sames()));
        actions.output("changes", String.valueOf(summary.changes()));
    }
}
