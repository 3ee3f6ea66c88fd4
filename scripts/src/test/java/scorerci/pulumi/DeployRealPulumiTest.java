package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.Digests;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;

/**
 * deploy against the real Pulumi CLI v3.276.0 (built by scripts/tools/pulumi.sh): a file:// backend
 * with a passphrase, the YAML test program as --infra, the test provider for a function that
 * updates, is replaced, or fails. Only the Lambda verification is left out (--skip-verify): there
 * is no Lambda here; DeployVerifyMotoTest covers it against moto.
 */
class DeployRealPulumiTest {
    private static final String STACK = RealStack.STACK;
    private static final String SECRET = "s3cr3t-value-that-must-never-print-42";

    @TempDir Path tmp;
    RealStack stack;

    @BeforeEach
    void setUp() throws Exception {
        stack = new RealStack(tmp);
    }

    @Test
    void newStackNoChangeUpdateReplacementThenAFailingUpdate() throws Exception {
        // a new stack: on a self-managed backend the default name uses the org "organization"
        var created = stack.deploy("--yes", "--skip-verify");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out())
                .contains("preview   " + STACK + ": 2 to create")
                .contains("applied   " + STACK + ": 2 created");
        assertThat(created.err())
                .doesNotContain("cancel")
                .doesNotContain("warning: warning:")
                .doesNotContain("error:")
                .doesNotContain("debug:");
        assertThat(stack.outputsJson())
                .contains("\"rustScorerFunctionName\": \"passport-v2-rust-scorer\"")
                .contains("\"rustScorerPublishedVersion\": \"1\"");

        // the same program again: nothing to do
        var rerun = stack.deploy("--yes", "--skip-verify");
        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.out())
                .contains(
                        "preview   "
                                + STACK
                                + ": 0 to create, 0 to update, 0 to delete, 0 to replace")
                .contains("applied   " + STACK + ": 0 created, 0 updated, 0 deleted, 0 replaced");

        // a new code hash: an update in place
        stack.config("codeSha256", "second-code-hash", false);
        var updated = stack.deploy("--yes", "--skip-verify");
        assertThat(updated.exitCode()).as(updated.toString()).isZero();
        assertThat(updated.out()).contains("applied   " + STACK + ": 0 created, 1 updated");
        assertThat(updated.err())
                .contains("~ updating scorertest:index:Function rustScorer (codeSha256)");
        assertThat(stack.outputsJson())
                .contains("\"rustScorerPublishedVersion\": \"2\"")
                .contains("\"rustScorerCodeSha256\": \"second-code-hash\"");

        // a new architecture: a replacement, one row with its reason
        stack.config("architecture", "x86_64", false);
        Path summary = tmp.resolve("summary.md");
        var replaced =
                stack.harness()
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .run(
                                "deploy",
                                "staging",
                                "--infra",
                                stack.infra.toString(),
                                "--artifact",
                                stack.zip.toString(),
                                "--yes",
                                "--skip-verify");
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        assertThat(replaced.out())
                .contains("applied   " + STACK + ": 0 created, 0 updated, 0 deleted, 1 replaced");
        String md = Files.readString(summary);
        assertThat(rows(md, "rustScorer"))
                .as(md)
                .isEqualTo(2); // one in the preview table, one in the applied table
        assertThat(md)
                .contains(
                        "| +- replace | `scorertest:index:Function` | `rustScorer` | architecture |")
                .doesNotContain("create-replacement")
                .doesNotContain("delete-replaced");

        // a failing update: the provider's error is the cause, with one prefix and no "update
        // failed"
        stack.config("failWith", "ResourceConflictException: the function is being updated", false);
        Path failedSummary = tmp.resolve("failed.md");
        var failed =
                stack.harness()
                        .env("GITHUB_STEP_SUMMARY", failedSummary.toString())
                        .run(
                                "deploy",
                                "staging",
                                "--infra",
                                stack.infra.toString(),
                                "--artifact",
                                stack.zip.toString(),
                                "--yes",
                                "--skip-verify");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        String message = lastLine(failed.err());
        assertThat(message)
                .contains("(exit 1)")
                .contains("ResourceConflictException: the function is being updated")
                .doesNotContain("error: error:")
                .doesNotEndWith("update failed");
        assertThat(failed.err()).doesNotContain("error: error:").doesNotContain("cancel");
        assertThat(Files.readString(failedSummary))
                .contains("ResourceConflictException: the function is being updated");
    }

    @Test
    void aProgramErrorIsOneCleanLine() throws Exception {
        Path program = stack.project.resolve("Pulumi.yaml");
        Files.writeString(
                program,
                Files.readString(program).replace("${codeSha256}", "${noSuchConfigValue}"));
        var result = stack.deploy("--yes", "--skip-verify");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        String message = lastLine(result.err());
        assertThat(message)
                .contains("noSuchConfigValue")
                .doesNotContain("\u001B[")
                .doesNotContain("<{%")
                .doesNotContain("error: error:");
        assertThat(result.err()).doesNotContain("\u001B[");
        // stack select -c created the stack; the program error left it without resources or outputs
        assertThat(stack.outputsJson().strip()).isEqualTo("{}");
    }

    @Test
    void aSecretConfigValueAndASecretOutputNeverReachAnyLogOrOutput() throws Exception {
        // the stack must exist before a secret can be set on it
        assertThat(stack.pulumi("stack", "init", STACK, "--non-interactive").ok()).isTrue();
        stack.config("scorerSecret", SECRET, true);
        Path summary = tmp.resolve("summary.md");
        Path outputs = tmp.resolve("outputs.txt");
        CommandHarness actions =
                stack.harness()
                        .env("GITHUB_ACTIONS", "true")
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .env("GITHUB_OUTPUT", outputs.toString());
        var result =
                actions.run(
                        "deploy",
                        "staging",
                        "--infra",
                        stack.infra.toString(),
                        "--artifact",
                        stack.zip.toString(),
                        "--yes",
                        "--skip-verify",
                        "--verbose");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        // it did flow through: the provider got it and the stack holds it as a secret output
        assertThat(stack.outputsJson()).contains("\"rustScorerEnvironment\": \"" + SECRET + "\"");
        assertThat(result.out())
                .contains("::add-mask::" + SECRET); // Actions masks it; nothing else shows it
        assertThat(result.out().replace("::add-mask::" + SECRET, "")).doesNotContain(SECRET);
        assertThat(result.err()).doesNotContain(SECRET);
        assertThat(Files.readString(summary)).doesNotContain(SECRET);
        assertThat(Files.readString(outputs)).doesNotContain(SECRET);
        // -v shows Pulumi's debug lines, redacted
        assertThat(result.out() + result.err()).contains("debug: ");

        // a failure quoting the secret is redacted too
        stack.config("failWith", "rejected " + SECRET, false);
        var failed =
                actions.run(
                        "deploy",
                        "staging",
                        "--infra",
                        stack.infra.toString(),
                        "--artifact",
                        stack.zip.toString(),
                        "--yes",
                        "--skip-verify",
                        "--verbose");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        assertThat(failed.out().replace("::add-mask::" + SECRET, "")).doesNotContain(SECRET);
        // Pulumi itself writes a known secret as [secret] in errors; anything that slipped by would
        // be ***
        assertThat(failed.err())
                .doesNotContain(SECRET)
                .containsPattern("rejected (\\[secret]|\\*\\*\\*)");
        assertThat(Files.readString(summary)).doesNotContain(SECRET);
    }

    @Test
    void withoutAPassphraseNothingRunsNotEvenStackSelect() {
        stack.env("PULUMI_CONFIG_PASSPHRASE", null);
        var result = stack.deploy("--yes", "--skip-verify");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(lastLine(result.err()))
                .contains("PULUMI_CONFIG_PASSPHRASE")
                .contains("nothing was changed");
        assertThat(stack.backend.resolve(".pulumi")).doesNotExist();
    }

    @Test
    void aCloudStackNameIsRefusedOnASelfManagedBackendBeforeAnythingRuns() {
        var result =
                stack.deploy(
                        "--yes", "--skip-verify", "--stack", "passportxyz/passport-scorer/staging");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE.code);
        assertThat(lastLine(result.err())).contains("--stack organization/passport-scorer/staging");
        assertThat(stack.backend.resolve(".pulumi")).doesNotExist();
    }

    @Test
    void anApprovedPlanIsAppliedAndAChangedProgramIsRefused() throws Exception {
        Path plan = tmp.resolve("plans/pulumi-plan-staging.json");
        var preview = stack.deploy("--preview-only", "--save-plan", plan.toString());
        assertThat(preview.exitCode()).as(preview.toString()).isZero();
        String sha256 = Digests.hex(Digests.sha256(plan));
        assertThat(preview.out()).contains("plan-sha256: " + sha256);

        // a different digest: refused before anything runs
        var wrongDigest =
                stack.deploy(
                        "--plan",
                        plan.toString(),
                        "--plan-sha256",
                        "0".repeat(64),
                        "--yes",
                        "--skip-verify");
        assertThat(wrongDigest.exitCode())
                .as(wrongDigest.toString())
                .isEqualTo(ExitCode.STALE_PLAN.code);
        assertThat(lastLine(wrongDigest.err()))
                .contains("has sha256 " + sha256)
                .contains("nothing was applied");

        var applied =
                stack.deploy(
                        "--plan",
                        plan.toString(),
                        "--plan-sha256",
                        sha256,
                        "--yes",
                        "--skip-verify");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out())
                .contains("plan      " + STACK + ": 2 to create")
                .contains("applied   " + STACK + ": 2 created");

        // a new plan for a code change, then the program changes again before it is applied
        stack.config("codeSha256", "planned-code-hash", false);
        var second = stack.deploy("--preview-only", "--save-plan", plan.toString());
        assertThat(second.exitCode()).as(second.toString()).isZero();
        String secondSha = Digests.hex(Digests.sha256(plan));
        stack.config("codeSha256", "sneaked-in-code-hash", false);
        var refused =
                stack.deploy(
                        "--plan",
                        plan.toString(),
                        "--plan-sha256",
                        secondSha,
                        "--yes",
                        "--skip-verify");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.STALE_PLAN.code);
        assertThat(lastLine(refused.err()))
                .contains("changed since the plan was saved")
                .contains("nothing was applied");
        assertThat(stack.outputsJson())
                .contains("\"rustScorerCodeSha256\": \"initial-code-hash\"")
                .doesNotContain("sneaked-in-code-hash");
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static int rows(String markdown, String name) {
        Matcher m =
                Pattern.compile("(?m)^\\|.*`" + Pattern.quote(name) + "`.*\\|$").matcher(markdown);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
