package scorerci.commands;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import scorerci.artifacts.DownloadStage;
import scorerci.artifacts.UploadStage;
import scorerci.core.Actions;
import scorerci.core.BuildTag;
import scorerci.core.Context;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.lambda.FunctionVerification;
import scorerci.packaging.HostFacts;
import scorerci.packaging.LambdaBuild;
import scorerci.pipeline.LocalPipeline;
import scorerci.stack.DeployEnvironment;
import scorerci.zip.ZipRules;

/**
 * {@code ci [ENVIRONMENT]}: reproduce locally, in order, what the deploy workflows run for an
 * environment (default review): the test suite (scripts/run-tests.sh), build-zip, upload-artifact
 * to the local artifact store, download-artifact into ./rust-scorer-artifact, the deploy preview,
 * and with --deploy the deploy itself. The stages run in-process as objects (scorerci.pipeline
 * composes them with typed requests; each result is shown as its command shows it), the test suite
 * as a child process.
 *
 * <p>Reads: the repository (git for the default tag), the environment the stages need (PULUMI_*,
 * AWS_*). ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL and GITHUB_ACTIONS are hidden from the stages,
 * so artifacts always go to the local store, even when this runs inside a workflow. Writes: what
 * the stages write (scorer/target, the local artifact store, ./rust-scorer-artifact). Prints: each
 * stage's name, command and duration, the stages' own output, then a summary; with --format json
 * only one JSON object on stdout (verdict, and per stage its outcome, exit code, duration and
 * result record), the rest on stderr. --until STAGE ends the run after that stage (e.g. before the
 * ones that need Pulumi and AWS). Exits: 0 all stages passed; otherwise the first failing stage's
 * exit code (5 when the test suite fails); 2 bad environment or no tag.
 */
@Command(
        name = "ci",
        mixinStandardHelpOptions = true,
        description =
                "Run locally, in order, what the pipeline runs for an environment: tests, build-zip, upload, download, deploy preview.")
public class CiCommand extends BaseCommand {
    // optional here (default review), so not the required EnvironmentParameter; validated by the
    // same enum
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "ENVIRONMENT",
            defaultValue = "review",
            description = "review, staging or production (default: ${DEFAULT-VALUE}).")
    String environment;

    @Mixin BuildTagOption tag;

    @Option(names = "--skip-tests", description = "Skip the test suite stage.")
    boolean skipTests;

    @Option(
            names = "--deploy",
            description = "After the preview, deploy (asks for confirmation unless --yes).")
    boolean deploy;

    @Option(
            names = {"-y", "--yes"},
            description = "With --deploy: do not ask for confirmation.")
    boolean yes;

    @Option(
            names = "--until",
            paramLabel = "STAGE",
            description =
                    "Stop after this stage: tests, build-zip, upload-artifact, download-artifact, preview"
                            + " or (with --deploy) deploy. --until download-artifact needs no Pulumi and no cloud credentials.")
    String until;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            description =
                    "Local artifact store directory for upload-artifact and download-artifact (default: their own default store).")
    String store;

    @Mixin FormatOption output;

    /**
     * ci's result record: the verdict and one entry per stage, each with the stage's own result
     * record (build-zip's, upload-artifact's, ... as those commands report them) when it ran.
     *
     * @param run the run itself, for the text summary (not part of the JSON)
     */
    record CiReport(
            String environment,
            String tag,
            int exitCode,
            double seconds,
            List<StageReport> stages,
            @JsonIgnore LocalPipeline.Result run)
            implements Report {
        /**
         * @param outcome ok, failed, skipped or not_run
         * @param result the stage's result record; null unless ok (and for the test suite)
         * @param error the failure's one-line message (redacted), null unless failed
         */
        record StageReport(
                String name,
                String key,
                String commandLine,
                String outcome,
                int exitCode,
                double seconds,
                Report result,
                String error) {}

        static CiReport of(DeployEnvironment environment, BuildTag tag, LocalPipeline.Result run) {
            List<StageReport> stages = new ArrayList<>();
            for (LocalPipeline.StageResult r : run.stages()) {
                stages.add(
                        new StageReport(
                                r.step().name(),
                                r.step().key(),
                                r.step().commandLine(),
                                r.outcome().name().toLowerCase(Locale.ROOT),
                                r.exitCode(),
                                r.duration().toMillis() / 1000.0,
                                r.result() instanceof Report report ? report : null,
                                r.error()));
            }
            return new CiReport(
                    environment.id(),
                    tag.value(),
                    run.exitCode(),
                    run.total().toMillis() / 1000.0,
                    stages,
                    run);
        }

        @Override
        public void printText(Log log) {
            log.result(LocalPipeline.summary(environment, run));
        }

        @Override
        public void writeActions(Actions actions) {
            List<List<String>> rows = new ArrayList<>();
            for (LocalPipeline.StageResult r : run.stages()) {
                rows.add(
                        List.of(
                                r.step().name(),
                                r.outcome().name().toLowerCase(Locale.ROOT),
                                LocalPipeline.seconds(r.duration())));
            }
            actions.summaryTable(
                    "ci " + environment, List.of("stage", "outcome", "duration"), rows);
        }
    }

    @Override
    protected int execute() {
        DeployEnvironment env = DeployEnvironment.parse(environment);
        if (yes && !deploy) throw PipelineException.usage("--yes only makes sense with --deploy");
        BuildTag resolvedTag = tag.resolve(context());
        LocalPipeline.Options options =
                new LocalPipeline.Options(
                        env,
                        resolvedTag,
                        skipTests,
                        deploy,
                        yes,
                        store == null ? null : context().resolve(store)); // relative to here
        // the stages are the repository's: from a subdirectory too they run at its root
        Context stageContext =
                LocalPipeline.stageContext(context().inDirectory(context().repoRoot()));
        List<LocalPipeline.Step> plan =
                LocalPipeline.until(
                        LocalPipeline.plan(options, stages(env, stageContext), stageContext),
                        until);
        log().info("ci " + env.id() + ": tag " + resolvedTag + ", in " + stageContext.workDir());
        LocalPipeline.Result result = LocalPipeline.run(plan, skipTests, log());
        log().info("");
        report(CiReport.of(env, resolvedTag, result));
        if (until != null && result.ok())
            log().info("stopped after '" + until + "' as asked (--until)");
        return result.exitCode();
    }

    /**
     * The stage objects, in the stage context, each followed by its command's report: the same
     * lines, step outputs and summary as running that command alone.
     */
    private LocalPipeline.Stages stages(DeployEnvironment env, Context stageContext) {
        Log log = log();
        Actions actions = new Actions(stageContext.env(), spec.commandLine().getOut());
        return new LocalPipeline.Stages(
                LocalPipeline.testSuite(log),
                new LambdaBuild(
                                stageContext.env(),
                                log,
                                actions,
                                HostFacts.detect(stageContext.env()))
                        .andThen(
                                r ->
                                        shown(
                                                BuildZipCommand.BuildReport.of(
                                                        r, ZipRules.AL2023_GLIBC),
                                                actions)),
                new UploadStage(stageContext, log)
                        .andThen(r -> shown(UploadArtifactCommand.UploadReport.of(r), actions)),
                new DownloadStage(stageContext, log)
                        .andThen(r -> shown(DownloadArtifactCommand.DownloadReport.of(r), actions)),
                DeployCommand.stage(stageContext, log, actions, FunctionVerification::forDeploy)
                        .andThen(o -> shown(DeployCommand.DeployResult.of(env, o), actions)));
    }

    /** A stage's record as its command shows it; with --format json its lines go to stderr. */
    private Report shown(Report report, Actions actions) {
        report.printText(log());
        report.writeActions(actions);
        return report;
    }
}
