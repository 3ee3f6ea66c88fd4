package scorerci.workflows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.packaging.GitInfo;
import scorerci.process.ExternalProcess;

/**
 * What the deploy workflows run for one environment, as an ordered list of stages that a developer
 * can run on their own machine (`jbang ci@.`): the test suite, build-zip, upload-artifact (to the
 * local store), download-artifact, the deploy preview and, if asked, the deploy. Runs them in
 * order, timing each; stops at the first failure with that stage's exit code. A stage whose command
 * is not part of this build yet fails plainly as such.
 */
public final class LocalPipeline {
    public static final String TEST_SUITE = "test suite";
    public static final String TEST_SCRIPT = "scripts/run-tests.sh";

    /**
     * Hidden from every stage, so that artifacts always go to the local store, even inside a
     * workflow.
     */
    public static final List<String> HIDDEN_FROM_STAGES =
            List.of("ACTIONS_RUNTIME_TOKEN", "ACTIONS_RESULTS_URL", "GITHUB_ACTIONS");

    /**
     * One stage: a pipeline subcommand with its arguments, or (command == null) the test suite
     * script.
     */
    public record Stage(String name, String command, List<String> args) {
        public String commandLine() {
            List<String> words = new ArrayList<>();
            if (command != null) words.add(command);
            words.addAll(args);
            return String.join(" ", words);
        }
    }

    /**
     * Runs stages; the command implementation (in-process, subprocess, or a test double) is the
     * caller's.
     */
    public interface Runner {
        boolean available(Stage stage);

        int run(Stage stage);
    }

    public enum Outcome {
        OK,
        FAILED,
        UNAVAILABLE,
        NOT_RUN,
        SKIPPED
    }

    public record StageResult(Stage stage, Outcome outcome, int exitCode, Duration duration) {}

    public record Result(List<StageResult> stages, int exitCode, Duration total) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Options of one local run; {@code store} is passed to the artifact commands only when given.
     */
    public record Options(
            String environment,
            String tag,
            boolean skipTests,
            boolean deploy,
            boolean yes,
            String store) {}

    private LocalPipeline() {}

    public static List<Stage> plan(Options o) {
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage(TEST_SUITE, null, List.of(TEST_SCRIPT)));
        stages.add(new Stage("build-zip", "build-zip", List.of("--tag", o.tag())));
        List<String> upload =
                new ArrayList<>(List.of("--tag", o.tag(), "--if-exists", "skip-if-same"));
        List<String> download =
                new ArrayList<>(List.of("--tag", o.tag(), "--dest", DefaultPaths.ARTIFACT_DIR));
        if (o.store() != null) {
            upload.addAll(List.of("--store", o.store()));
            download.addAll(List.of("--store", o.store()));
        }
        stages.add(new Stage("upload-artifact", "upload-artifact", upload));
        stages.add(new Stage("download-artifact", "download-artifact", download));
        stages.add(
                new Stage("deploy preview", "deploy", List.of(o.environment(), "--preview-only")));
        if (o.deploy()) {
            stages.add(
                    new Stage(
                            "deploy",
                            "deploy",
                            o.yes()
                                    ? List.of(o.environment(), "--yes")
                                    : List.of(o.environment())));
        }
        return stages;
    }

    /**
     * The short name --until takes for a stage: tests, build-zip, upload-artifact,
     * download-artifact, preview, deploy.
     */
    public static String key(Stage stage) {
        if (stage.command() == null) return "tests";
        return stage.name().equals("deploy preview") ? "preview" : stage.name();
    }

    /**
     * The plan up to and including the stage named {@code until} (see {@link #key}), so that a run
     * can end green before the stages that need Pulumi and cloud credentials; null keeps all.
     */
    public static List<Stage> until(List<Stage> plan, String until) {
        if (until == null) return plan;
        List<String> keys = plan.stream().map(LocalPipeline::key).toList();
        int last = keys.indexOf(until);
        if (last < 0) {
            String hint = until.equals("deploy") ? " (deploy is a stage only with --deploy)" : "";
            throw PipelineException.usage(
                    "--until '"
                            + until
                            + "' is not a stage of this run: use one of "
                            + String.join(", ", keys)
                            + hint);
        }
        return List.copyOf(plan.subList(0, last + 1));
    }

    public static Result run(List<Stage> stages, boolean skipTests, Runner runner, Log log) {
        List<StageResult> results = new ArrayList<>();
        long start = System.nanoTime();
        int exit = 0;
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            String counter = "[" + (i + 1) + "/" + stages.size() + "] ";
            if (exit != 0) {
                results.add(new StageResult(stage, Outcome.NOT_RUN, 0, Duration.ZERO));
                continue;
            }
            if (skipTests && stage.command() == null) {
                log.info("==> " + counter + stage.name() + ": skipped (--skip-tests)");
                results.add(new StageResult(stage, Outcome.SKIPPED, 0, Duration.ZERO));
                continue;
            }
            log.info("==> " + counter + stage.name() + ": " + stage.commandLine());
            if (!runner.available(stage)) {
                log.info(
                        "<== "
                                + stage.name()
                                + ": command not available yet ('"
                                + stage.command()
                                + "' is not a command of this build)");
                results.add(
                        new StageResult(
                                stage,
                                Outcome.UNAVAILABLE,
                                ExitCode.PREREQUISITE.code,
                                Duration.ZERO));
                exit = ExitCode.PREREQUISITE.code;
                continue;
            }
            long t0 = System.nanoTime();
            int code = runner.run(stage);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (code == 0) {
                log.info("<== " + stage.name() + ": ok in " + seconds(took));
                results.add(new StageResult(stage, Outcome.OK, 0, took));
            } else {
                log.info(
                        "<== "
                                + stage.name()
                                + ": FAILED with exit "
                                + code
                                + " after "
                                + seconds(took));
                results.add(new StageResult(stage, Outcome.FAILED, code, took));
                exit = code;
            }
        }
        return new Result(results, exit, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The closing summary: one line per stage and a verdict. */
    public static String summary(String environment, Result result) {
        StringBuilder sb = new StringBuilder();
        StageResult failed =
                result.stages().stream()
                        .filter(
                                r ->
                                        r.outcome() == Outcome.FAILED
                                                || r.outcome() == Outcome.UNAVAILABLE)
                        .findFirst()
                        .orElse(null);
        sb.append("ci ").append(environment).append(": ");
        if (failed == null) {
            sb.append("all stages passed in ").append(seconds(result.total()));
        } else {
            sb.append("stopped at '")
                    .append(failed.stage().name())
                    .append("' (exit ")
                    .append(failed.exitCode())
                    .append(
                            failed.outcome() == Outcome.UNAVAILABLE
                                    ? ", command not available yet"
                                    : "")
                    .append(") after ")
                    .append(seconds(result.total()));
        }
        int width =
                result.stages().stream().mapToInt(r -> r.stage().name().length()).max().orElse(10);
        for (StageResult r : result.stages()) {
            sb.append('\n')
                    .append("  ")
                    .append(String.format("%-" + width + "s", r.stage().name()))
                    .append("  ");
            sb.append(
                    switch (r.outcome()) {
                        case OK -> "ok        " + seconds(r.duration());
                        case FAILED ->
                                "FAILED    exit " + r.exitCode() + ", " + seconds(r.duration());
                        case UNAVAILABLE -> "MISSING   command not available yet";
                        case SKIPPED -> "skipped";
                        case NOT_RUN -> "not run";
                    });
        }
        return sb.toString();
    }

    /** The context the stages run in: the caller's, without {@link #HIDDEN_FROM_STAGES}. */
    public static Context stageContext(Context context) {
        Map<String, String> env = new HashMap<>(context.env());
        HIDDEN_FROM_STAGES.forEach(env::remove);
        return new Context(
                Map.copyOf(env), context.workDir(), context.stdin(), context.out(), context.err());
    }

    /**
     * Runs {@link #TEST_SCRIPT} as a child process in the stage context; 0, or TOOL_FAILED when it
     * fails.
     */
    public static int runTestSuite(Context stageContext, Log log) {
        Path script = stageContext.resolve(TEST_SCRIPT);
        if (!Files.isExecutable(script)) {
            throw PipelineException.notFound(
                    TEST_SCRIPT
                            + " not found or not executable in "
                            + stageContext.workDir()
                            + "; run ci from the repository root");
        }
        ExternalProcess process =
                ExternalProcess.of(script.toString())
                        .in(stageContext.workDir())
                        .env(stageContext.env())
                        .onLine(log::info);
        HIDDEN_FROM_STAGES.forEach(process::unsetEnv);
        ExternalProcess.Result r = process.run();
        if (r.ok()) return 0;
        log.warn(TEST_SCRIPT + " exited " + r.exitCode());
        return ExitCode.TOOL_FAILED.code;
    }

    /** The workflows' artifact tag: the short commit SHA of HEAD in the working directory. */
    public static String commitTag(Context context) {
        GitInfo head = GitInfo.of(context.workDir(), context.env());
        if (head.commit() == null) {
            throw PipelineException.usage(
                    "cannot name the commit (no git, or no git checkout at "
                            + context.workDir()
                            + "); pass --tag TAG");
        }
        return head.shortCommit();
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
