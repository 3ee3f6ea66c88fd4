package scorerci.commands;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.artifacts.ArtifactDownload;
import scorerci.artifacts.ArtifactName;
import scorerci.artifacts.DownloadStage;
import scorerci.core.Actions;
import scorerci.core.BuildTag;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.lambda.LambdaClients;
import scorerci.pulumi.DeployFlow;
import scorerci.pulumi.DeployPreflight;
import scorerci.pulumi.DeployRequest;
import scorerci.pulumi.PostDeployCheck;
import scorerci.pulumi.PreviewDigest;
import scorerci.stack.DeployEnvironment;

/**
 * {@code deploy ENVIRONMENT}: deploys the rust scorer zip with the OTEL layer through the Pulumi
 * program in infra/, as the original pipeline did, then proves what it deployed.
 *
 * <p>Reads: the zip (--artifact, default rust-scorer-artifact/bootstrap.zip; with --tag and no zip
 * it first runs the download-artifact stage for TAG into DIR), infra/ (aws/Pulumi.yaml;
 * package.json and package-lock.json for a Node.js program), an approved plan (--plan FILE), the
 * environment: PULUMI_ACCESS_TOKEN (Pulumi Cloud) or PULUMI_BACKEND_URL (else a saved `pulumi
 * login`, asked with `pulumi whoami --json`), PULUMI_CONFIG_PASSPHRASE or
 * PULUMI_CONFIG_PASSPHRASE_FILE for a passphrase-encrypted stack (every stack of a self-managed
 * backend), AWS credentials (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY [+ AWS_SESSION_TOKEN],
 * AWS_PROFILE, AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, container credentials or a [default]
 * profile), GITHUB_* for Actions; and one answer line on stdin when neither --yes nor
 * --preview-only is given.
 *
 * <p>Runs, in infra/aws, each with --non-interactive: {@code pulumi stack select -c STACK}, {@code
 * pulumi config set aws:region REGION -s STACK}, {@code pulumi config --show-secrets --json} (the
 * stack's secret values, to mask and redact them), {@code pulumi preview --diff --json} (with
 * --save-plan also {@code --save-plan}), then (unless --preview-only, and after --yes or a typed
 * confirmation: "yes", or the environment's name for production) {@code pulumi up --yes
 * --skip-preview --json} (with --plan: {@code pulumi up --yes --plan FILE --json}, no separate
 * preview), and {@code pulumi stack output --json} to find the function it verifies. STACK is
 * --stack, else passportxyz/passport-scorer/ENV on Pulumi Cloud and
 * organization/passport-scorer/ENV on a self-managed backend. Pulumi gets RUST_SCORER_ZIP (absolute
 * zip path), DOCKER_IMAGE_TAG (with --tag), PULUMI_SKIP_UPDATE_CHECK=true, and
 * PULUMI_EXPERIMENTAL=true with plans. {@code npm ci} runs in infra/ first when the program is
 * Node.js and node_modules is missing or older than the lockfile.
 *
 * <p>Writes: infra/node_modules (npm ci); the plan file (--save-plan, renamed into place when
 * complete); Pulumi itself writes aws:region into infra/aws/Pulumi.STACK.yaml; the job summary
 * (preview and applied change tables, the saved plan's digest) and step outputs creates, updates,
 * deletes, replaces, sames, changes, function-name, code-sha256 and plan-sha256.
 *
 * <p>Prints: on stdout the zip, the planned and applied change summaries ("N to create, N to
 * update, ..."), {@code plan-sha256: HEX} with --save-plan, and the verification; with --format
 * json one object instead (environment, stack, zip, codeSha256, planned and applied counts per
 * operation, planSha256, functionName, verified) and those lines on stderr; Pulumi's streamed
 * output in log groups (stderr locally, stdout inside Actions so it stays inside its group), its
 * debug diagnostics only with -v. Secrets (the variables above and the stack's secret config) are
 * masked in Actions and redacted by value from every line and message.
 *
 * <p>Exits: 0 deployed (or previewed); 2 bad ENVIRONMENT/--stack/--region/--tag/plan options, or a
 * --stack whose organization a self-managed backend refuses; 3 no pulumi/npm, no credentials, no
 * passphrase, or verification not available without --skip-verify; 4 invalid zip or the deployed
 * function differs; 5 pulumi or npm failed (the first error Pulumi reported, one line, in the
 * message); 8 no zip, no infra/ project, no plan file (or no stack output naming the function); 9
 * the confirmation was declined or not given; 10 the plan's sha256 is not --plan-sha256, or Pulumi
 * refused the plan because the program or the stack changed. Every check before `pulumi stack
 * select` leaves the stacks untouched (only `npm ci` may have refreshed node_modules).
 */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description =
                "Preview and deploy the rust scorer through the Pulumi program in infra/ (stack "
                        + "passportxyz/passport-scorer/ENVIRONMENT on Pulumi Cloud, organization/passport-scorer/ENVIRONMENT "
                        + "on a self-managed backend), then verify the deployed function.")
public class DeployCommand extends BaseCommand {
    @Mixin EnvironmentParameter environment;

    @Mixin FormatOption output;

    @Mixin DryRunOption dryRun;

    @Option(
            names = "--stack",
            paramLabel = "STACK",
            description =
                    "Pulumi stack (default: passportxyz/passport-scorer/ENVIRONMENT on Pulumi Cloud, "
                            + "organization/passport-scorer/ENVIRONMENT on a self-managed backend such as file:// or s3://).")
    String stack;

    @Option(
            names = "--tag",
            paramLabel = "TAG",
            description =
                    "The build's docker tag (short SHA): passed as DOCKER_IMAGE_TAG; if the zip is absent, "
                            + "its artifact rust-scorer-TAG.zip is downloaded first.")
    String tag;

    @Option(
            names = "--artifact",
            paramLabel = "PATH",
            defaultValue = DefaultPaths.DOWNLOADED_ZIP,
            description = "The zip to deploy (default: ${DEFAULT-VALUE}).")
    String artifact;

    @Option(
            names = "--preview-only",
            description = "Stop after pulumi preview (the CI preview job).")
    boolean previewOnly;

    @Option(
            names = "--save-plan",
            paramLabel = "FILE",
            description =
                    "With --preview-only: save Pulumi's update plan to FILE and print its plan-sha256 "
                            + "(also a step output); the deploy job applies it with --plan FILE --plan-sha256 HEX.")
    String savePlan;

    @Option(
            names = "--plan",
            paramLabel = "FILE",
            description =
                    "Apply this saved plan (pulumi up --plan): refused with exit 10, nothing applied, when its "
                            + "sha256 is not --plan-sha256 or Pulumi finds the program or stack changed since it was saved.")
    String plan;

    @Option(
            names = "--plan-sha256",
            paramLabel = "HEX",
            description =
                    "The approved plan's SHA-256, as the preview printed it (plan-sha256: HEX).")
    String planSha256;

    @Option(
            names = {"-y", "--yes"},
            description = "Apply without asking (CI deploy jobs).")
    boolean yes;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            defaultValue = LambdaClients.DEFAULT_REGION,
            description = "AWS region set as the stack's aws:region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(
            names = "--infra",
            paramLabel = "DIR",
            defaultValue = DefaultPaths.INFRA_DIR,
            description =
                    "The infra/ directory: package.json, and the Pulumi project in aws/ (default: ${DEFAULT-VALUE}).")
    String infra;

    @Option(
            names = "--skip-verify",
            description = "Do not check the deployed function against the zip after pulumi up.")
    boolean skipVerify;

    /** Proves the deployed function serves the zip; tests construct the command with their own. */
    private final PostDeployCheck.LambdaCheck lambdaCheck;

    public DeployCommand() {
        this(scorerci.lambda.FunctionVerification::forDeploy);
    }

    public DeployCommand(PostDeployCheck.LambdaCheck lambdaCheck) {
        this.lambdaCheck = lambdaCheck;
    }

    /**
     * deploy's result record: what was previewed (or the approved plan said), what was applied and
     * what the verification proved. Secrets never reach it: the fields are counts, names and
     * digests, and the JSON passes through the same redacting sink as every printed line.
     *
     * @param planned the preview's (or the approved plan's) counts per operation
     * @param applied null with --preview-only
     * @param planSha256 with --save-plan
     * @param verified what the verification proved, one line; null when nothing was verified
     */
    record DeployResult(
            String environment,
            String stack,
            String zip,
            String codeSha256,
            Map<String, Integer> planned,
            String planSha256,
            Map<String, Integer> applied,
            String functionName,
            String verified)
            implements Report {
        static DeployResult of(DeployEnvironment environment, DeployFlow.Outcome outcome) {
            return new DeployResult(
                    environment.id(),
                    outcome.stack(),
                    outcome.zip().path().toString(),
                    outcome.zip().codeSha256(),
                    outcome.planned() == null ? null : outcome.planned().counts(),
                    outcome.planSha256(),
                    outcome.applied() == null ? null : outcome.applied().summary().counts(),
                    outcome.functionName(),
                    outcome.proven());
        }

        /**
         * The flow printed the zip, the preview and the applied changes as they happened (some must
         * be seen before the confirmation); the verification's line is the result's own.
         */
        @Override
        public void printText(Log log) {
            if (verified != null) log.result("verified  " + verified);
        }

        @Override
        public void writeActions(Actions actions) {
            if (verified != null) actions.summary("**Verified:** " + verified + "\n");
        }
    }

    @Override
    protected int execute() {
        DeployRequest request =
                new DeployRequest(
                        environment.parse(),
                        stack,
                        region,
                        context().resolve(artifact),
                        context().resolve(infra),
                        tag,
                        previewOnly || dryRun.dryRun, // one meaning of --dry-run: the preview
                        yes,
                        skipVerify,
                        savePlan == null ? null : context().resolve(savePlan),
                        plan == null ? null : context().resolve(plan),
                        planSha256);
        DeployFlow.Outcome outcome = stage(context(), log(), actions(), lambdaCheck).run(request);
        report(DeployResult.of(request.environment(), outcome));
        return ExitCode.OK.code;
    }

    /**
     * The deploy stage as deploy and ci run it: the flow with the confirmation read from the
     * context's stdin, result lines through {@code log}, the stage's secret variables masked, and
     * download-artifact's stage for --tag.
     */
    static DeployFlow stage(
            Context context, Log log, Actions actions, PostDeployCheck.LambdaCheck lambdaCheck) {
        PreviewDigest.warmUpInBackground();
        DeployPreflight.SECRET_VARIABLES.forEach(name -> actions.mask(context.env(name)));
        return new DeployFlow(
                context.env(),
                context.stdin(),
                log,
                actions,
                log::result,
                lambdaCheck,
                (tag, dest) -> download(context, log, actions, tag, dest));
    }

    /** deploy --tag: the download stage, reported as download-artifact reports it. */
    private static void download(Context context, Log log, Actions actions, String tag, Path dest) {
        log.progress("zip absent: downloading the artifact for tag " + tag + " into " + dest);
        ArtifactDownload.Outcome outcome;
        try {
            outcome =
                    new DownloadStage(context, log)
                            .run(
                                    DownloadStage.Request.forDeploy(
                                            ArtifactName.validate(
                                                    ArtifactName.defaultFor(BuildTag.check(tag))),
                                            dest));
        } catch (PipelineException e) {
            throw new PipelineException(
                    e.exitCode(),
                    "could not download the artifact for --tag "
                            + tag
                            + ": "
                            + e.getMessage()
                            + "; nothing was deployed",
                    e);
        }
        DownloadArtifactCommand.DownloadReport report =
                DownloadArtifactCommand.DownloadReport.of(outcome);
        report.printText(log);
        report.writeActions(actions);
    }
}
