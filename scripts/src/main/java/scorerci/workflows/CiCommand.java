package scorerci.workflows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import scorerci.cli.BaseCommand;
import scorerci.cli.Context;
import scorerci.cli.ExitCode;
import scorerci.cli.Main;
import scorerci.cli.PipelineException;
import scorerci.process.ExternalProcess;

/**
 * {@code ci [ENVIRONMENT]}: reproduce locally, in order, what the deploy workflows run for an
 * environment (default review): the test suite (scripts/run-tests.sh), build-zip, upload-artifact
 * to the local artifact store, download-artifact into ./rust-scorer-artifact, the deploy preview,
 * and with --deploy the deploy itself. The pipeline commands run in-process (scorerci.cli.Main),
 * the test suite as a child process.
 *
 * Reads:  the repository (git for the default tag), the environment the stages need (PULUMI_*, AWS_*).
 *         ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL and GITHUB_ACTIONS are hidden from the stages,
 *         so artifacts always go to the local store, even when this runs inside a workflow.
 * Writes: what the stages write (scorer/target, the local artifact store, ./rust-scorer-artifact).
 * Prints: each stage's name, command and duration, the stages' own output, then a summary.
 * Exits:  0 all stages passed; otherwise the first failing stage's exit code (5 when the test suite
 *         fails; 3 when a stage's command is not part of this build yet); 2 bad environment or no tag.
 */
@Command(name = "ci", mixinStandardHelpOptions = true,
        description = "Run locally, in order, what the pipeline runs for an environment: tests, build-zip, upload, download, deploy preview.")
public class CiCommand extends BaseCommand {
    private static final List<String> HIDDEN_FROM_STAGES = List.of("ACTIONS_RUNTIME_TOKEN", "ACTIONS_RESULTS_URL", "GITHUB_ACTIONS");

    @Parameters(index = "0", arity = "0..1", paramLabel = "ENVIRONMENT", defaultValue = "review",
            description = "review, staging or production (default: ${DEFAULT-VALUE}).")
    String environment;

    @Option(names = "--tag", paramLabel = "TAG", description = "Artifact tag (default: the short commit SHA, as the workflows use).")
    String tag;

    @Option(names = "--skip-tests", description = "Skip the test suite stage.")
    boolean skipTests;

    @Option(names = "--deploy", description = "After the preview, deploy (asks for confirmation unless --yes).")
    boolean deploy;

    @Option(names = "--yes", description = "With --deploy: do not ask for confirmation.")
    boolean yes;

    @Option(names = "--store", paramLabel = "DIR", description = "Local artifact store directory for upload-artifact and download-artifact (default: their own default store).")
    String store;

    @Override
    protected int execute() {
        if (!LocalPipeline.ENVIRONMENTS.contains(environment)) {
            throw PipelineException.usage("unknown environment '" + environment + "'; use one of " + LocalPipeline.ENVIRONMENTS);
        }
        if (yes && !deploy) throw PipelineException.usage("--yes only makes sense with --deploy");
        String resolvedTag = tag != null ? tag : shortSha();
        if (!resolvedTag.matches("[A-Za-z0-9._-]+")) {
            throw PipelineException.usage("--tag '" + resolvedTag + "' may contain only letters, digits, '.', '_' and '-'");
        }
        LocalPipeline.Options options = new LocalPipeline.Options(environment, resolvedTag, skipTests, deploy, yes, store);
        Context stageContext = stageContext();
        LocalPipeline.Runner runner = new LocalPipeline.Runner() {
            @Override
            public boolean available(LocalPipeline.Stage stage) {
                return stage.command() == null
                        || Main.commandLine(stageContext).getSubcommands().containsKey(stage.command());
            }

            @Override
            public int run(LocalPipeline.Stage stage) {
                if (stage.command() == null) return runTestSuite();
                List<String> args = new ArrayList<>();
                args.add(stage.command());
                args.addAll(stage.args());
                if (global.level() == scorerci.cli.Log.Level.VERBOSE) args.add("--verbose");
                return Main.run(args.toArray(String[]::new), stageContext);
            }
        };
        log().info("ci " + environment + ": tag " + resolvedTag + ", in " + context().workDir());
        LocalPipeline.Result result = LocalPipeline.run(LocalPipeline.plan(options), skipTests, runner, log());
        log().info("");
        log().info(LocalPipeline.summary(environment, result));
        List<List<String>> rows = new ArrayList<>();
        for (LocalPipeline.StageResult r : result.stages()) {
            rows.add(List.of(r.stage().name(), r.outcome().name().toLowerCase(), LocalPipeline.seconds(r.duration())));
        }
        actions().summaryTable("ci " + environment, List.of("stage", "outcome", "duration"), rows);
        return result.exitCode();
    }

    private int runTestSuite() {
        java.nio.file.Path script = context().resolve(LocalPipeline.TEST_SCRIPT);
        if (!java.nio.file.Files.isExecutable(script)) {
            throw PipelineException.prerequisite(LocalPipeline.TEST_SCRIPT + " not found or not executable in "
                    + context().workDir() + "; run ci from the repository root");
        }
        ExternalProcess process = ExternalProcess.of(script.toString())
                .in(context().workDir())
                .env(stageContext().env())
                .onLine(line -> log().info(line));
        HIDDEN_FROM_STAGES.forEach(process::unsetEnv);
        ExternalProcess.Result r = process.run();
        if (r.ok()) return 0;
        log().warn(LocalPipeline.TEST_SCRIPT + " exited " + r.exitCode());
        return ExitCode.TOOL_FAILED.code;
    }

    private Context stageContext() {
        Map<String, String> env = new HashMap<>(context().env());
        HIDDEN_FROM_STAGES.forEach(env::remove);
        Context c = context();
        return new Context(Map.copyOf(env), c.workDir(), c.stdin(), c.out(), c.err());
    }

    private String shortSha() {
        ExternalProcess.Result r = ExternalProcess.of("git", "rev-parse", "--short", "HEAD").in(context().workDir()).run();
        String sha = r.output().strip();
        if (!r.ok() || sha.isEmpty() || sha.contains("\n")) {
            throw PipelineException.usage("cannot name the commit (git rev-parse --short HEAD failed in "
                    + context().workDir() + "); pass --tag TAG");
        }
        return sha;
    }
}
