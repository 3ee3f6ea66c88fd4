package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.workflows.WorkflowFixtures.fixture;
import static scorerci.workflows.WorkflowFixtures.install;
import static scorerci.workflows.WorkflowFixtures.read;
import static scorerci.workflows.WorkflowFixtures.snapshot;
import static scorerci.workflows.WorkflowFixtures.toggle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness.Result;

/**
 * toggle-tests end to end through the command line, on fixture workflows in a scratch repository.
 */
class ToggleTestsCommandTest {
    private static final String REASON = "Rust scorer unstable, see #42";

    @TempDir Path repo;

    @Test
    void disableProducesTheDocumentedFormByteForByte() {
        Path dir = install(repo, Map.of("review.yml", "enabled.yml"));
        Result r =
                toggle(repo, "2025-01-10", "disable", "--reason", REASON, "--until", "2025-02-01");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("review.yml: disabled job 'test'; deploy no longer needs it");
        assertThat(read(dir.resolve("review.yml"))).isEqualTo(read(fixture("disabled.yml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"enabled.yml", "mixed.yml"})
    void disableThenEnableIsByteIdentical(String layout) {
        Path dir = install(repo, Map.of("w.yml", layout));
        String original = read(dir.resolve("w.yml"));
        assertThat(
                        toggle(
                                        repo,
                                        "2025-01-10",
                                        "disable",
                                        "--reason",
                                        "weird \"reason\"; with \\ and ü")
                                .exitCode())
                .isZero();
        assertThat(read(dir.resolve("w.yml"))).isNotEqualTo(original);
        Result r = toggle(repo, null, "enable");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(read(dir.resolve("w.yml"))).isEqualTo(original);
    }

    @Test
    void crlfAndAMissingFinalNewlineSurviveTheRoundTrip() throws Exception {
        String crlf = read(fixture("mixed.yml")).replace("\n", "\r\n");
        String original = crlf.substring(0, crlf.length() - 2); // no final line break
        Path file = WorkflowFixtures.install(repo, "w.yml", original);
        assertThat(toggle(repo, "2025-01-10", "disable", "--reason", REASON).exitCode()).isZero();
        String disabled = read(file);
        assertThat(disabled.replace("\r\n", "")).doesNotContain("\n");
        assertThat(disabled).contains("if: ${{ false }}");
        assertThat(toggle(repo, null, "enable").exitCode()).isZero();
        assertThat(Files.readAllBytes(file))
                .isEqualTo(original.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void disablingTheMixedLayoutDropsTestFromEveryDependentAndKeepsTheOthers() {
        Path dir = install(repo, Map.of("w.yml", "mixed.yml"));
        assertThat(toggle(repo, "2025-01-10", "disable", "--reason", REASON).exitCode()).isZero();
        WorkflowFile after = WorkflowFile.read(dir.resolve("w.yml"), "w.yml");
        assertThat(after.layout().job("test").ifClause()).isNotNull();
        assertThat(after.layout().job("block-dependent").needs().items())
                .extracting(JobsLayout.NeedsItem::value)
                .containsExactly("ref");
        assertThat(after.layout().job("quoted").needs().items())
                .extracting(JobsLayout.NeedsItem::value)
                .containsExactly("ref");
        assertThat(after.layout().job("only-test").needs()).isNull();
        assertThat(after.layout().job("block-only").needs()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> test =
                (Map<String, Object>)
                        ((Map<String, Object>) after.yaml().values().get("jobs")).get("test");
        assertThat(test.get("if")).isEqualTo("${{ false }}");
        assertThat(read(dir.resolve("w.yml"))).contains("mentions test but does not need it");
    }

    @Test
    void enableRestoresTheLegacyCommentedOutForm() {
        Path dir =
                install(
                        repo,
                        Map.of("review.yml", "legacy.yml", "release.yml", "legacy-release.yml"));
        Result r = toggle(repo, null, "enable");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("restored the commented-out job 'test'");
        assertThat(read(dir.resolve("review.yml"))).isEqualTo(read(fixture("legacy.enabled.yml")));
        String release = read(dir.resolve("release.yml"));
        assertThat(release)
                .contains("\n  test:\n    name: Test\n")
                .contains("needs: [test, ref]\n")
                .doesNotContain("# TODO: Re-enable")
                .doesNotContain("Add back 'test'");
        assertThat(
                        TestToggler.status(
                                        WorkflowFile.read(
                                                dir.resolve("release.yml"), "release.yml"),
                                        "test")
                                .state())
                .isEqualTo(TestJobStatus.State.ENABLED);
    }

    @Test
    void statusShowsEveryLayoutOfADirectory() {
        install(
                repo,
                Map.of(
                        "a_enabled.yml",
                        "enabled.yml",
                        "b_disabled.yml",
                        "disabled.yml",
                        "c_legacy.yml",
                        "legacy.yml",
                        "d_mixed.yml",
                        "mixed.yml",
                        "e_other.yml",
                        "no-test-job.yml"));
        Result r = toggle(repo, "2025-01-20", "status");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0])
                .startsWith("WORKFLOW")
                .contains("TEST JOB", "STATE", "REASON", "SINCE", "UNTIL");
        assertThat(r.out())
                .containsPattern("a_enabled\\.yml +test +enabled +- +- +-")
                .containsPattern(
                        "b_disabled\\.yml +test +disabled +" + REASON + " +2025-01-10 +2025-02-01")
                .containsPattern(
                        "c_legacy\\.yml +test +disabled \\(legacy, commented out\\) +\\(none; legacy TODO: TODO: Re-enable tests once Rust scorer is stable\\)")
                .contains("d_mixed.yml")
                .doesNotContain("e_other.yml");
    }

    @Test
    void checkPassesWithinTheEndDateAndFailsAfterIt() {
        install(repo, Map.of("review.yml", "disabled.yml"));
        Result within = toggle(repo, "2025-02-01", "check");
        assertThat(within.exitCode()).as(within.toString()).isZero();
        assertThat(within.out()).contains("ok: 1 workflow(s), 1 test job(s) disabled");

        Result after = toggle(repo, "2025-02-02", "check");
        assertThat(after.exitCode()).as(after.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(after.out())
                .contains(
                        ".github/workflows/review.yml:29: job 'test' has been disabled since 2025-01-10")
                .contains("past its end date 2025-02-01 by 1 day(s)");
        assertThat(after.err()).startsWith("error: 1 test job(s) disabled");
    }

    @Test
    void checkFailsForNoReasonAndForTheLegacyForm() {
        install(
                repo,
                Map.of(
                        "a.yml",
                        "disabled-no-reason.yml",
                        "b.yml",
                        "legacy.yml",
                        "c.yml",
                        "enabled.yml"));
        Result r = toggle(repo, "2025-01-10", "check");
        assertThat(r.exitCode()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(r.out())
                .contains("a.yml:29: job 'test' is disabled with no reason")
                .contains(
                        "b.yml:25: job 'test' is commented out with no reason or end date (legacy form)")
                .doesNotContain("c.yml");
    }

    @Test
    void checkAcceptsADisabledJobWithAReasonAndNoEndDate() {
        install(repo, Map.of("w.yml", "enabled.yml"));
        assertThat(toggle(repo, "2025-01-10", "disable", "--reason", REASON).exitCode()).isZero();
        assertThat(toggle(repo, "2030-01-01", "check").exitCode()).isZero();
    }

    @Test
    void disablingAgainUpdatesReasonAndEndButKeepsTheStartDate() {
        Path dir = install(repo, Map.of("review.yml", "disabled.yml"));
        Result r =
                toggle(
                        repo,
                        "2025-01-30",
                        "disable",
                        "--reason",
                        "still flaky, see #50",
                        "--until",
                        "2025-03-01");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        TestJobStatus s =
                TestToggler.status(WorkflowFile.read(dir.resolve("review.yml"), "r"), "test");
        assertThat(s.reason()).isEqualTo("still flaky, see #50");
        assertThat(s.since()).hasToString("2025-01-10");
        assertThat(s.until()).hasToString("2025-03-01");
        assertThat(toggle(repo, null, "enable").exitCode()).isZero();
        assertThat(read(dir.resolve("review.yml"))).isEqualTo(read(fixture("enabled.yml")));
    }

    @Test
    void disablingTheLegacyFormRecordsAReason() {
        Path dir = install(repo, Map.of("review.yml", "legacy.yml"));
        assertThat(
                        toggle(
                                        repo,
                                        "2025-01-10",
                                        "disable",
                                        "--reason",
                                        REASON,
                                        "--until",
                                        "2025-02-01")
                                .exitCode())
                .isZero();
        assertThat(
                        TestToggler.status(
                                        WorkflowFile.read(dir.resolve("review.yml"), "r"), "test")
                                .state())
                .isEqualTo(TestJobStatus.State.DISABLED);
        assertThat(toggle(repo, "2025-01-11", "check").exitCode()).isZero();
    }

    @Test
    void dryRunPrintsAUnifiedDiffAndWritesNothing() {
        Path dir = install(repo, Map.of("review.yml", "enabled.yml"));
        Map<String, String> before = snapshot(dir);
        Result r =
                toggle(
                        repo,
                        "2025-01-10",
                        "disable",
                        "--dry-run",
                        "--reason",
                        REASON,
                        "--until",
                        "2025-02-01");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .startsWith(
                        "--- a/.github/workflows/review.yml\n+++ b/.github/workflows/review.yml\n@@ -")
                .contains(
                        "\n+    if: ${{ false }}  # TODO(toggle-tests): tests disabled; reason=\""
                                + REASON
                                + "\"")
                .contains("\n-    needs: [test, ref]   # keep test first\n")
                .contains("\n+    needs: [ref]  # TODO(toggle-tests): add 'test' back");
        assertThat(r.err()).contains("dry run: 1 file(s) would change; nothing was written");
        assertThat(snapshot(dir)).isEqualTo(before);

        install(repo, Map.of("legacy.yml", "legacy.yml"));
        Result enable =
                toggle(
                        repo,
                        null,
                        "enable",
                        "--dry-run",
                        "--workflow",
                        ".github/workflows/legacy.yml");
        assertThat(enable.out()).contains("\n-  # test:\n").contains("\n+  test:\n");
        assertThat(read(dir.resolve("legacy.yml"))).isEqualTo(read(fixture("legacy.yml")));
    }

    @Test
    void aMalformedFileStopsTheRunWithFileAndLineAndNothingIsWritten() {
        Path dir = install(repo, Map.of("a_good.yml", "enabled.yml", "b_bad.yml", "malformed.yml"));
        Map<String, String> before = snapshot(dir);
        Result r = toggle(repo, "2025-01-10", "disable", "--reason", REASON);
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err().strip())
                .isEqualTo(
                        "error: .github/workflows/b_bad.yml:6: mapping values are not allowed here (fix the YAML; nothing was written)");
        assertThat(snapshot(dir)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unsupported-flow-job.yml", "unsupported-outputs.yml"})
    void anUnknownLayoutIsReportedNotGuessed(String layout) {
        Path dir = install(repo, Map.of("w.yml", layout));
        Map<String, String> before = snapshot(dir);
        Result r = toggle(repo, "2025-01-10", "disable", "--reason", REASON);
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err())
                .startsWith("error: .github/workflows/w.yml:")
                .contains("unsupported layout")
                .contains("nothing was written");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(snapshot(dir)).isEqualTo(before);
    }

    @Test
    void aHandEditedMarkerIsReported() {
        String broken = read(fixture("disabled.yml")).replace("since=2025-01-10", "since=January");
        WorkflowFixtures.install(repo, "w.yml", broken);
        Result r = toggle(repo, null, "enable");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("w.yml:29: damaged toggle-tests marker");
    }

    @Test
    void badOptionsAreUsageErrors() {
        install(repo, Map.of("w.yml", "enabled.yml"));
        assertThat(toggle(repo, "2025-01-10", "disable").exitCode()).isEqualTo(ExitCode.USAGE.code);
        Result blank = toggle(repo, "2025-01-10", "disable", "--reason", "  ");
        assertThat(blank.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(blank.err()).contains("--reason is empty");
        Result past =
                toggle(repo, "2025-01-10", "disable", "--reason", REASON, "--until", "2025-01-09");
        assertThat(past.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(past.err()).contains("--until 2025-01-09 is before today (2025-01-10)");
        Result bad =
                toggle(repo, "2025-01-10", "disable", "--reason", REASON, "--until", "next week");
        assertThat(bad.err()).contains("--until 'next week' is not a date; write YYYY-MM-DD");
        Result clock = toggle(repo, "yesterday", "check");
        assertThat(clock.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(clock.err()).contains("SCORER_TODAY 'yesterday' is not a date");
        assertThat(toggle(repo, null).exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(read(repo.resolve(".github/workflows/w.yml")))
                .isEqualTo(read(fixture("enabled.yml")));
    }

    @Test
    void unknownWorkflowsAndJobsAreNotFound() {
        install(repo, Map.of("w.yml", "enabled.yml", "other.yml", "no-test-job.yml"));
        assertThat(toggle(repo, null, "status", "--workflow", "nope.yml").err())
                .contains("nope.yml: no such workflow file");
        assertThat(toggle(repo, null, "status", "--workflow", "nope.yml").exitCode())
                .isEqualTo(ExitCode.NOT_FOUND.code);
        Result other = toggle(repo, null, "enable", "--workflow", ".github/workflows/other.yml");
        assertThat(other.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(other.err()).contains("no job 'test'");
        assertThat(toggle(repo, null, "status", "--job", "integration").exitCode())
                .isEqualTo(ExitCode.NOT_FOUND.code);
        Path empty = repo.resolve("elsewhere");
        assertThat(toggle(empty, null, "status").exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
    }

    @Test
    void workflowOptionLimitsTheRunAndIsRepeatable() {
        Path dir =
                install(
                        repo,
                        Map.of(
                                "a.yml",
                                "enabled.yml",
                                "b.yml",
                                "enabled.yml",
                                "c.yml",
                                "enabled.yml"));
        Result r =
                toggle(
                        repo,
                        "2025-01-10",
                        "disable",
                        "--reason",
                        REASON,
                        "--workflow",
                        ".github/workflows/a.yml",
                        "--workflow",
                        ".github/workflows/c.yml");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(read(dir.resolve("a.yml"))).contains("TODO(toggle-tests)");
        assertThat(read(dir.resolve("b.yml"))).isEqualTo(read(fixture("enabled.yml")));
        assertThat(read(dir.resolve("c.yml"))).contains("TODO(toggle-tests)");
    }

    @Test
    void writesAreAtomicLeaveNoTempFilesAndKeepTheFileMode() throws Exception {
        Path dir = install(repo, Map.of("w.yml", "enabled.yml"));
        Files.setPosixFilePermissions(
                dir.resolve("w.yml"), PosixFilePermissions.fromString("rw-r-----"));
        assertThat(toggle(repo, "2025-01-10", "disable", "--reason", REASON).exitCode()).isZero();
        assertThat(snapshot(dir).keySet()).containsExactly("w.yml");
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(dir.resolve("w.yml"))))
                .isEqualTo("rw-r-----");
    }

    @Test
    void enablingAnEnabledJobAndDisablingTwiceAreNoOps() {
        Path dir = install(repo, Map.of("w.yml", "enabled.yml"));
        Result enable = toggle(repo, null, "enable");
        assertThat(enable.exitCode()).isZero();
        assertThat(enable.err()).contains("unchanged: .github/workflows/w.yml (already enabled)");
        toggle(repo, "2025-01-10", "disable", "--reason", REASON);
        String once = read(dir.resolve("w.yml"));
        Result again = toggle(repo, "2025-01-12", "disable", "--reason", REASON);
        assertThat(again.err()).contains("already disabled with this reason");
        assertThat(read(dir.resolve("w.yml"))).isEqualTo(once);
    }
}
