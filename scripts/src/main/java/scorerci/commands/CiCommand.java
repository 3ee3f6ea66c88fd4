package scorerci.commands;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import scorerci.core.BuildTag;
import scorerci.core.Context;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.stack.DeployEnvironment;
import scorerci.workflows.LocalPipeline;

/**
 * {@code ci [ENVIRONMENT]}: reproduce locally, in order, what the deploy workflows run for an
 * environment (default review): the test suite (scripts/run-tests.sh), build-zip, upload-artifact
 * to the local artifact store, download-artifact into ./rust-scorer-artifact, the deploy preview,
 * and with --deploy the deploy itself. The pipeline commands run in-process (through the root
 * command, CommandHost), the test suite as a child process.
 *
 * <p>Reads: the repository (git for the default tag), the environment the stages need (PULUMI_*,
 * AWS_*). ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL and GITHUB_ACTIONS are hidden from the stages,
 * so artifacts always go to the local store, even when this runs inside a workflow. Writes: what
 * the stages write (scorer/target, the local artifact store, ./rust-scorer-artifact). Prints: each
 * stage's name, command and duration, the stages' own output, then a summary. --until STAGE ends
 * the run after that stage (e.g. before the ones that need Pulumi and AWS). Exits: 0 all stages
 * passed; otherwise the first failing stage's exit code (5 when the test suite fails; 3 when a
 * stage's command is not part of this build yet); 2 bad environment or no tag.
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

    @Option(
            names = "--tag",
            paramLabel = "TAG",
            description = "Artifact tag (default: the short commit SHA, as the workflows use).")
    String tag;

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

    @Override
    protected int execute() {
        String env = DeployEnvironment.parse(environment).id();
        if (yes && !deploy) throw PipelineException.usage("--yes only makes sense with --deploy");
        String resolvedTag = tag != null ? tag : LocalPipeline.commitTag(context());
        BuildTag.check(resolvedTag);
        LocalPipeline.Options options =
                new LocalPipeline.Options(
                        env,
                        resolvedTag,
                        skipTests,
                        deploy,
                        yes,
                        store == null
                                ? null
                                : context().resolve(store).toString()); // typed: relative to here
        // the stages are the repository's: from a subdirectory too they run at its root
        Context stageContext =
                LocalPipeline.stageContext(context().inDirectory(context().repoRoot()));
        LocalPipeline.Runner runner =
                new LocalPipeline.Runner() {
                    @Override
                    public boolean available(LocalPipeline.Stage stage) {
                        return stage.command() == null || host().hasCommand(stage.command());
                    }

                    @Override
                    public int run(LocalPipeline.Stage stage) {
                        if (stage.command() == null)
                            return LocalPipeline.runTestSuite(stageContext, log());
                        List<String> args = new ArrayList<>();
                        args.add(stage.command());
                        args.addAll(stage.args());
                        if (global.level() == Log.Level.VERBOSE) args.add("--verbose");
                        if (global.level() == Log.Level.QUIET) args.add("--quiet");
                        return host().run(args.toArray(String[]::new), stageContext);
                    }
                };
        log().info("ci " + env + ": tag " + resolvedTag + ", in " + stageContext.workDir());
        List<LocalPipeline.Stage> plan = LocalPipeline.until(LocalPipeline.plan(options), until);
        LocalPipeline.Result result = LocalPipeline.run(plan, skipTests, runner, log());
        log().info("");
        result(LocalPipeline.summary(env, result));
        if (until != null && result.ok())
            log().info("stopped after '" + until + "' as asked (--until)");
        List<List<String>> rows = new ArrayList<>();
        for (LocalPipeline.StageResult r : result.stages()) {
            rows.add(
                    List.of(
                            r.stage().name(),
                            r.outcome().name().toLowerCase(),
                            LocalPipeline.seconds(r.duration())));
        }
        actions().summaryTable("ci " + env, List.of("stage", "outcome", "duration"), rows);
        return result.exitCode();
    }
}
