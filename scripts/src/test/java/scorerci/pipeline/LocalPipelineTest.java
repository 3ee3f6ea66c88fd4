package scorerci.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scorerci.artifacts.ArtifactUpload;
import scorerci.core.BuildTag;
import scorerci.core.Context;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.core.SecretRegistry;
import scorerci.pipeline.LocalPipeline.Outcome;
import scorerci.pipeline.LocalPipeline.Step;
import scorerci.stack.DeployEnvironment;

/**
 * The stage sequencing of `ci`, with recording stages standing in for the real ones: each records
 * the typed request it was handed and answers with a result or an exception.
 */
class LocalPipelineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Log log =
            new Log(new PrintWriter(out, true), new PrintWriter(err, true), Log.Level.NORMAL);
    private static final Path ROOT = Path.of("/work/repo");
    private static final Context STAGE_CONTEXT =
            new Context(
                    Map.of(),
                    ROOT,
                    new BufferedReader(new StringReader("")),
                    new PrintWriter(Writer.NULL),
                    new PrintWriter(Writer.NULL));

    private static final class Writer {
        static final java.io.Writer NULL = java.io.Writer.nullWriter();
    }

    /** The requests the stages received, in order, and failures to throw by step key. */
    private final List<Object> requests = new ArrayList<>();

    private final Map<String, RuntimeException> failures = new java.util.HashMap<>();

    private LocalPipeline.Stages recording() {
        return new LocalPipeline.Stages(
                ctx -> answer("tests", ctx.workDir()),
                r -> answer("build-zip", r),
                r -> answer("upload-artifact", r),
                r -> answer("download-artifact", r),
                r -> answer(r.previewOnly() ? "preview" : "deploy", r));
    }

    private Object answer(String key, Object request) {
        requests.add(request);
        RuntimeException failure = failures.get(key);
        if (failure != null) throw failure;
        return key + " done";
    }

    private List<Step> plan(boolean deploy, boolean yes) {
        return LocalPipeline.plan(
                new LocalPipeline.Options(
                        DeployEnvironment.STAGING,
                        new BuildTag("abc1234"),
                        false,
                        deploy,
                        yes,
                        Path.of("/tmp/store")),
                recording(),
                STAGE_CONTEXT);
    }

    @Test
    void runsTheStageObjectsInThePipelinesOrderWithTypedRequests() {
        LocalPipeline.Result result = LocalPipeline.run(plan(true, true), false, log);
        assertThat(result.exitCode()).isZero();
        assertThat(result.stages())
                .extracting(r -> r.step().commandLine())
                .containsExactly(
                        "scripts/run-tests.sh",
                        "build-zip --tag abc1234",
                        "upload-artifact --tag abc1234 --if-exists skip-if-same --store /tmp/store",
                        "download-artifact --tag abc1234 --dest rust-scorer-artifact --store /tmp/store",
                        "deploy staging --preview-only",
                        "deploy staging --yes");
        assertThat(requests).hasSize(6);
        assertThat(requests.get(0)).isEqualTo(ROOT);
        var build = (scorerci.packaging.LambdaBuild.Request) requests.get(1);
        assertThat(build.crateDir()).isEqualTo(ROOT.resolve("scorer"));
        assertThat(build.tag()).isEqualTo("abc1234");
        var upload = (scorerci.artifacts.UploadStage.Request) requests.get(2);
        assertThat(upload.artifactName()).isEqualTo("rust-scorer-abc1234.zip");
        assertThat(upload.file())
                .isEqualTo(ROOT.resolve("scorer/target/lambda/rust-scorer/bootstrap.zip"));
        assertThat(upload.ifExists()).isEqualTo(ArtifactUpload.IfExists.SKIP_IF_SAME);
        assertThat(upload.store()).isEqualTo("/tmp/store");
        var download = (scorerci.artifacts.DownloadStage.Request) requests.get(3);
        assertThat(download.dest()).isEqualTo(ROOT.resolve("rust-scorer-artifact"));
        assertThat(download.verify()).isTrue();
        var preview = (scorerci.pulumi.DeployRequest) requests.get(4);
        assertThat(preview.previewOnly()).isTrue();
        assertThat(preview.artifact())
                .isEqualTo(ROOT.resolve("rust-scorer-artifact/bootstrap.zip"));
        assertThat(preview.infraDir()).isEqualTo(ROOT.resolve("infra"));
        var deploy = (scorerci.pulumi.DeployRequest) requests.get(5);
        assertThat(deploy.previewOnly()).isFalse();
        assertThat(deploy.yes()).isTrue();
        assertThat(result.stages())
                .extracting(LocalPipeline.StageResult::result)
                .containsExactly(
                        "tests done",
                        "build-zip done",
                        "upload-artifact done",
                        "download-artifact done",
                        "preview done",
                        "deploy done");
        assertThat(out.toString())
                .contains("==> [1/6] test suite: scripts/run-tests.sh", "<== build-zip: ok in ");
        assertThat(LocalPipeline.summary("staging", result))
                .startsWith("ci staging: all stages passed in ")
                .contains("  deploy preview     ok ");
    }

    @Test
    void withoutDeployItEndsAtThePreviewAndAsksBeforeDeploying() {
        assertThat(plan(false, false)).extracting(Step::name).endsWith("deploy preview");
        assertThat(plan(true, false).get(5).commandLine()).isEqualTo("deploy staging");
    }

    @Test
    void stopsAtTheFirstFailureWithThatStagesExitCodeAndMessage() {
        failures.put(
                "upload-artifact",
                PipelineException.conflict("artifact 'rust-scorer-abc1234.zip' exists"));
        LocalPipeline.Result result = LocalPipeline.run(plan(false, false), false, log);
        assertThat(result.exitCode()).isEqualTo(ExitCode.CONFLICT.code);
        assertThat(requests).hasSize(3);
        assertThat(result.stages())
                .extracting(LocalPipeline.StageResult::outcome)
                .containsExactly(
                        Outcome.OK, Outcome.OK, Outcome.FAILED, Outcome.NOT_RUN, Outcome.NOT_RUN);
        assertThat(result.stages().get(2).error())
                .isEqualTo("artifact 'rust-scorer-abc1234.zip' exists");
        assertThat(err.toString()).contains("error: artifact 'rust-scorer-abc1234.zip' exists");
        assertThat(out.toString()).contains("<== upload-artifact: FAILED with exit 7");
        assertThat(LocalPipeline.summary("staging", result))
                .startsWith("ci staging: stopped at 'upload-artifact' (exit 7)")
                .contains("download-artifact  not run");
    }

    @Test
    void aBugInAStageIsAnInternalErrorAndItsMessageIsRedacted() {
        SecretRegistry.register("s3cr3t-value-for-the-pipeline-test");
        failures.put(
                "build-zip",
                new IllegalStateException("broke near s3cr3t-value-for-the-pipeline-test"));
        LocalPipeline.Result result = LocalPipeline.run(plan(false, false), true, log);
        assertThat(result.exitCode()).isEqualTo(ExitCode.INTERNAL.code);
        assertThat(result.stages().get(0).outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(result.stages().get(1).error())
                .contains("internal error (IllegalStateException")
                .doesNotContain("s3cr3t-value-for-the-pipeline-test");
        assertThat(err.toString()).doesNotContain("s3cr3t-value-for-the-pipeline-test");
        assertThat(out.toString()).contains("==> [1/5] test suite: skipped (--skip-tests)");
        assertThat(requests).hasSize(1); // the tests were skipped, build-zip ran and failed
    }

    @Test
    void untilKeepsTheStepsUpToTheNamedOneAndNamesThemOtherwise() {
        assertThat(LocalPipeline.until(plan(false, false), "download-artifact"))
                .extracting(Step::key)
                .containsExactly("tests", "build-zip", "upload-artifact", "download-artifact");
        assertThatThrownBy(() -> LocalPipeline.until(plan(false, false), "deploy"))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining(
                        "use one of tests, build-zip, upload-artifact, download-artifact, preview")
                .hasMessageContaining("only with --deploy");
    }
}
