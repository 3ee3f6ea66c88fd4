package scorerci.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import scorerci.artifacts.ArtifactName;
import scorerci.artifacts.ArtifactRetention;
import scorerci.artifacts.ArtifactUpload;
import scorerci.artifacts.DownloadStage;
import scorerci.artifacts.UploadStage;
import scorerci.core.BuildTag;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.OutsideText;
import scorerci.core.PipelineException;
import scorerci.core.SecretRegistry;
import scorerci.core.Stage;
import scorerci.lambda.LambdaClients;
import scorerci.packaging.LambdaBuild;
import scorerci.process.ExternalProcess;
import scorerci.pulumi.DeployRequest;
import scorerci.stack.DeployEnvironment;
import scorerci.zip.ZipRules;

/**
 * What the deploy workflows run for one environment, as an ordered list of steps that a developer
 * can run on their own machine (`jbang ci@.`): the test suite (a child process), then the stage
 * objects themselves with typed requests: build (LambdaBuild), upload (UploadStage, to the local
 * store), download (DownloadStage), the deploy preview and, if asked, the deploy (DeployFlow). Runs
 * them in order, timing each; stops at the first failure with that stage's exit code.
 *
 * <p>Each step shows the command line that does the same by hand ("build-zip --tag 1a2b3c4"), so a
 * failure can be rerun alone.
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
     * The stage objects ci composes, each already followed by the caller's rendering of its result
     * ({@link Stage#andThen}); what they return is kept in the run's {@link Result}.
     */
    public record Stages(
            Stage<Context, ?> testSuite,
            Stage<LambdaBuild.Request, ?> build,
            Stage<UploadStage.Request, ?> upload,
            Stage<DownloadStage.Request, ?> download,
            Stage<DeployRequest, ?> deploy) {}

    /**
     * One step of a run.
     *
     * @param key the name --until takes: tests, build-zip, upload-artifact, download-artifact,
     *     preview, deploy
     * @param commandLine the command that does the same by hand
     * @param work runs the stage with its request and returns its result
     */
    public record Step(String name, String key, String commandLine, Supplier<?> work) {
        public boolean isTestSuite() {
            return key.equals("tests");
        }
    }

    public enum Outcome {
        OK,
        FAILED,
        NOT_RUN,
        SKIPPED
    }

    /**
     * @param result what the stage returned (as rendered by the caller), null unless OK
     * @param error the failure's one-line message, null unless FAILED
     */
    public record StageResult(
            Step step,
            Outcome outcome,
            int exitCode,
            Duration duration,
            Object result,
            String error) {}

    public record Result(List<StageResult> stages, int exitCode, Duration total) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Options of one local run; {@code store} is passed to the artifact stages only when given. */
    public record Options(
            DeployEnvironment environment,
            BuildTag tag,
            boolean skipTests,
            boolean deploy,
            boolean yes,
            Path store) {}

    private LocalPipeline() {}

    /**
     * The steps of a run in {@code stageContext} (the repository root, {@link #HIDDEN_FROM_STAGES}
     * removed), with the requests the workflows' command lines would make.
     */
    public static List<Step> plan(Options o, Stages stages, Context stageContext) {
        Path root = stageContext.workDir();
        String tag = o.tag().value();
        String artifactName = ArtifactName.validate(ArtifactName.defaultFor(tag));
        String store = o.store() == null ? null : o.store().toString();
        String storeArgs = store == null ? "" : " --store " + store;
        String env = o.environment().id();
        List<Step> steps = new ArrayList<>();
        steps.add(
                new Step(
                        TEST_SUITE,
                        "tests",
                        TEST_SCRIPT,
                        () -> stages.testSuite().run(stageContext)));
        LambdaBuild.Request build =
                new LambdaBuild.Request(
                        root.resolve(DefaultPaths.CRATE_DIR),
                        null,
                        "auto",
                        ZipRules.AL2023_GLIBC,
                        tag);
        steps.add(
                new Step(
                        "build-zip",
                        "build-zip",
                        "build-zip --tag " + tag,
                        () -> stages.build().run(build)));
        UploadStage.Request upload =
                new UploadStage.Request(
                        artifactName,
                        root.resolve(DefaultPaths.BUILT_ZIP),
                        ArtifactRetention.expiresAt(
                                null, stageContext.env("GITHUB_RETENTION_DAYS"), Instant.now()),
                        ArtifactUpload.IfExists.SKIP_IF_SAME,
                        store);
        steps.add(
                new Step(
                        "upload-artifact",
                        "upload-artifact",
                        "upload-artifact --tag " + tag + " --if-exists skip-if-same" + storeArgs,
                        () -> stages.upload().run(upload)));
        DownloadStage.Request download =
                new DownloadStage.Request(
                        artifactName,
                        root.resolve(DefaultPaths.ARTIFACT_DIR),
                        true,
                        DownloadStage.DEFAULT_MAX_SIZE_MB << 20,
                        store,
                        null,
                        null);
        steps.add(
                new Step(
                        "download-artifact",
                        "download-artifact",
                        "download-artifact --tag "
                                + tag
                                + " --dest "
                                + DefaultPaths.ARTIFACT_DIR
                                + storeArgs,
                        () -> stages.download().run(download)));
        DeployRequest preview = deployRequest(o, root, true, false);
        steps.add(
                new Step(
                        "deploy preview",
                        "preview",
                        "deploy " + env + " --preview-only",
                        () -> stages.deploy().run(preview)));
        if (o.deploy()) {
            DeployRequest deploy = deployRequest(o, root, false, o.yes());
            steps.add(
                    new Step(
                            "deploy",
                            "deploy",
                            "deploy " + env + (o.yes() ? " --yes" : ""),
                            () -> stages.deploy().run(deploy)));
        }
        return steps;
    }

    /** What `deploy ENV [--preview-only] [--yes]` asks for, with deploy's defaults. */
    private static DeployRequest deployRequest(
            Options o, Path root, boolean previewOnly, boolean yes) {
        return new DeployRequest(
                o.environment(),
                null,
                LambdaClients.DEFAULT_REGION,
                root.resolve(DefaultPaths.DOWNLOADED_ZIP),
                root.resolve(DefaultPaths.INFRA_DIR),
                null,
                previewOnly,
                yes,
                false);
    }

    /**
     * The plan up to and including the step whose key is {@code until}, so that a run can end green
     * before the stages that need Pulumi and cloud credentials; null keeps all.
     */
    public static List<Step> until(List<Step> plan, String until) {
        if (until == null) return plan;
        List<String> keys = plan.stream().map(Step::key).toList();
        int last = keys.indexOf(until);
        if (last < 0) {
            String hint = until.equals("deploy") ? " (deploy is a stage only with --deploy)" : "";
            throw PipelineException.usage(
                    "--until '"
                            + OutsideText.escape(until)
                            + "' is not a stage of this run: use one of "
                            + String.join(", ", keys)
                            + hint);
        }
        return List.copyOf(plan.subList(0, last + 1));
    }

    /**
     * Runs the steps in order. A failing stage's message is printed as the command would print it
     * ("error: ..." on stderr, redacted) and its exit code becomes the run's; the steps after it
     * are not run.
     */
    public static Result run(List<Step> steps, boolean skipTests, Log log) {
        List<StageResult> results = new ArrayList<>();
        long start = System.nanoTime();
        int exit = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String counter = "[" + (i + 1) + "/" + steps.size() + "] ";
            if (exit != 0) {
                results.add(new StageResult(step, Outcome.NOT_RUN, 0, Duration.ZERO, null, null));
                continue;
            }
            if (skipTests && step.isTestSuite()) {
                log.info("==> " + counter + step.name() + ": skipped (--skip-tests)");
                results.add(new StageResult(step, Outcome.SKIPPED, 0, Duration.ZERO, null, null));
                continue;
            }
            log.info("==> " + counter + step.name() + ": " + step.commandLine());
            long t0 = System.nanoTime();
            Object value = null;
            int code = 0;
            String error = null;
            try {
                value = step.work().get();
            } catch (PipelineException e) {
                code = e.exitCode().code;
                error = e.getMessage();
            } catch (RuntimeException e) {
                code = ExitCode.INTERNAL.code;
                error =
                        "internal error ("
                                + e.getClass().getSimpleName()
                                + ": "
                                + e.getMessage()
                                + "); rerun with --verbose and report it";
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (code == 0) {
                log.info("<== " + step.name() + ": ok in " + seconds(took));
                results.add(new StageResult(step, Outcome.OK, 0, took, value, null));
            } else {
                error = OutsideText.escape(SecretRegistry.redact(error));
                log.err().println("error: " + error);
                log.err().flush();
                log.info(
                        "<== "
                                + step.name()
                                + ": FAILED with exit "
                                + code
                                + " after "
                                + seconds(took));
                results.add(new StageResult(step, Outcome.FAILED, code, took, null, error));
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
                        .filter(r -> r.outcome() == Outcome.FAILED)
                        .findFirst()
                        .orElse(null);
        sb.append("ci ").append(environment).append(": ");
        if (failed == null) {
            sb.append("all stages passed in ").append(seconds(result.total()));
        } else {
            sb.append("stopped at '")
                    .append(failed.step().name())
                    .append("' (exit ")
                    .append(failed.exitCode())
                    .append(") after ")
                    .append(seconds(result.total()));
        }
        int width =
                result.stages().stream().mapToInt(r -> r.step().name().length()).max().orElse(10);
        for (StageResult r : result.stages()) {
            sb.append('\n')
                    .append("  ")
                    .append(String.format("%-" + width + "s", r.step().name()))
                    .append("  ");
            sb.append(
                    switch (r.outcome()) {
                        case OK -> "ok        " + seconds(r.duration());
                        case FAILED ->
                                "FAILED    exit " + r.exitCode() + ", " + seconds(r.duration());
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
     * The test-suite stage: {@link #TEST_SCRIPT} as a child process in the stage context, its lines
     * through {@code log}; fails with TOOL_FAILED when the script does.
     */
    public static Stage<Context, Integer> testSuite(Log log) {
        return stageContext -> {
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
            throw new PipelineException(
                    ExitCode.TOOL_FAILED, TEST_SCRIPT + " exited " + r.exitCode());
        };
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
