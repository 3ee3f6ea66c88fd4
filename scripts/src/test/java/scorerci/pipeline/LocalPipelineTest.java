package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.workflows.LocalPipeline.Outcome;
import scorerci.workflows.LocalPipeline.Stage;

/** The stage sequencing of `ci`, with a recording runner standing in for the commands. */
class LocalPipelineTest {
    private final StringWriter out = new StringWriter();
    private final Log log =
            new Log(
                    new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true),
                    Log.Level.NORMAL);

    /** Records the command lines it is asked to run and answers with scripted exit codes. */
    static final class Recording implements LocalPipeline.Runner {
        final List<String> ran = new ArrayList<>();
        final Map<String, Integer> exitCodes;
        final Set<String> missing;

        Recording(Map<String, Integer> exitCodes, Set<String> missing) {
            this.exitCodes = exitCodes;
            this.missing = missing;
        }

        @Override
        public boolean available(Stage stage) {
            return stage.command() == null || !missing.contains(stage.command());
        }

        @Override
        public int run(Stage stage) {
            ran.add(stage.commandLine());
            return exitCodes.getOrDefault(stage.name(), 0);
        }
    }

    static List<Stage> plan(boolean deploy, boolean yes) {
        return LocalPipeline.plan(
                new LocalPipeline.Options("staging", "abc1234", false, deploy, yes, "/tmp/store"));
    }

    @Test
    void runsWhatThePipelineRunsInItsOrder() {
        Recording runner = new Recording(Map.of(), Set.of());
        LocalPipeline.Result result = LocalPipeline.run(plan(true, true), false, runner, log);
        assertThat(result.exitCode()).isZero();
        assertThat(runner.ran)
                .containsExactly(
                        "scripts/run-tests.sh",
                        "build-zip --tag abc1234",
                        "upload-artifact --tag abc1234 --if-exists skip-if-same --store /tmp/store",
                        "download-artifact --tag abc1234 --dest rust-scorer-artifact --store /tmp/store",
                        "deploy staging --preview-only",
                        "deploy staging --yes");
        assertThat(out.toString())
                .contains("==> [1/6] test suite: scripts/run-tests.sh", "<== build-zip: ok in ");
        String summary = LocalPipeline.summary("staging", result);
        assertThat(summary)
                .startsWith("ci staging: all stages passed in ")
                .contains("  deploy preview     ok ");
    }

    @Test
    void withoutDeployItEndsAtThePreviewAndAsksBeforeDeploying() {
        assertThat(plan(false, false)).extracting(Stage::name).endsWith("deploy preview");
        assertThat(plan(true, false).get(5).commandLine()).isEqualTo("deploy staging");
    }

    @Test
    void stopsAtTheFirstFailureWithThatStagesExitCode() {
        Recording runner =
                new Recording(Map.of("upload-artifact", ExitCode.CONFLICT.code), Set.of());
        LocalPipeline.Result result = LocalPipeline.run(plan(false, false), false, runner, log);
        assertThat(result.exitCode()).isEqualTo(ExitCode.CONFLICT.code);
        assertThat(runner.ran).hasSize(3);
        assertThat(result.stages())
                .extracting(LocalPipeline.StageResult::outcome)
                .containsExactly(
                        Outcome.OK, Outcome.OK, Outcome.FAILED, Outcome.NOT_RUN, Outcome.NOT_RUN);
        assertThat(out.toString()).contains("<== upload-artifact: FAILED with exit 7");
        assertThat(LocalPipeline.summary("staging", result))
                .startsWith("ci staging: stopped at 'upload-artifact' (exit 7)")
                .contains("download-artifact  not run");
    }

    @Test
    void aCommandNotInThisBuildFailsPlainlyInsteadOfPretending() {
        Recording runner = new Recording(Map.of(), Set.of("deploy"));
        LocalPipeline.Result result = LocalPipeline.run(plan(false, false), true, runner, log);
        assertThat(result.exitCode()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(runner.ran)
                .doesNotContain("deploy staging --preview-only")
                .doesNotContain("scripts/run-tests.sh");
        assertThat(out.toString())
                .contains("==> [1/5] test suite: skipped (--skip-tests)")
                .contains(
                        "<== deploy preview: command not available yet ('deploy' is not a command of this build)");
        assertThat(LocalPipeline.summary("staging", result))
                .contains("command not available yet")
                .contains("test suite         skipped");
    }
}
