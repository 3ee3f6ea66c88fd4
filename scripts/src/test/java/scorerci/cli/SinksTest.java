package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.Actions;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.OutsideText;
import scorerci.core.SecretRegistry;
import scorerci.testing.CommandHarness;

/**
 * Every sink (stdout, stderr, annotations, step outputs, the job summary) redacts secrets by value
 * and never lets outside text start a workflow command; the output files are checked before any
 * work (issue 10).
 */
class SinksTest {
    /** Looks like an AWS secret access key; registered from the environment by Main. */
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz";

    @TempDir Path dir;

    @Test
    void anArgumentWithANewlineIsRefusedAndNotEchoedAsACommand() {
        CommandHarness.Result r =
                CommandHarness.create()
                        .workDir(dir)
                        .env("GITHUB_ACTIONS", "true")
                        .run(
                                "download-artifact",
                                "--name",
                                "x\n::warning::injected",
                                "--store",
                                dir.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("U+000A", "x\\n::warning::injected");
        assertThat((r.out() + r.err()).lines())
                .noneMatch(l -> l.stripLeading().startsWith("::warning"));
    }

    @Test
    void aSecretFromTheEnvironmentIsRedactedInTheErrorLineAndTheAnnotation() throws Exception {
        Path summary = dir.resolve("summary.md");
        CommandHarness.Result r =
                CommandHarness.create()
                        .workDir(dir)
                        .env("GITHUB_ACTIONS", "true")
                        .env("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .run(
                                "verify-zip",
                                AWS_SECRET
                                        + ".zip"); // the "does not exist" message quotes the path
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(r.err()).contains("error: ");
        String everything = r.out() + r.err();
        assertThat(everything.lines().filter(l -> !l.startsWith("::add-mask::")))
                .noneMatch(l -> l.contains(AWS_SECRET))
                .anyMatch(l -> l.startsWith("::error::"));
    }

    @Test
    void logLinesAreRedactedAndNeutralisedWhoeverPrintsThem() {
        SecretRegistry.register("tok_ABCDEFGH12345");
        StringWriter out = new StringWriter();
        Log log = new Log(new PrintWriter(out), new PrintWriter(out), Log.Level.NORMAL);
        log.info("token tok_ABCDEFGH12345 in a line");
        log.info("::set-output name=x::y");
        log.info("  ::warning::indented");
        log.info("a ##[error]legacy");
        log.info("ansi \u001b[2J and a\u2028separator");
        log.out().print("multi\n::error::line\n");
        log.out().flush();
        String text = out.toString();
        assertThat(text).doesNotContain("tok_ABCDEFGH12345", "\u001b", "\u2028", "##[");
        assertThat(text.lines()).noneMatch(l -> l.stripLeading().startsWith("::"));
        assertThat(text).contains("token *** in a line", "\\x3a:set-output", "\\x1b[2J", "\\u2028");
    }

    @Test
    void outputsSummaryAndAnnotationsAreRedacted() throws Exception {
        SecretRegistry.register("pulumi-secret-value-XYZ");
        Path output = Files.createFile(dir.resolve("out"));
        Path summary = Files.createFile(dir.resolve("sum"));
        StringWriter stdout = new StringWriter();
        Actions actions =
                new Actions(
                        Map.of(
                                "GITHUB_ACTIONS",
                                "true",
                                "GITHUB_OUTPUT",
                                output.toString(),
                                "GITHUB_STEP_SUMMARY",
                                summary.toString()),
                        new PrintWriter(stdout, true));
        actions.output("url", "https://x/?v=pulumi-secret-value-XYZ");
        actions.summary("| value | pulumi-secret-value-XYZ |");
        actions.error("failed: pulumi-secret-value-XYZ");
        assertThat(Files.readString(output) + Files.readString(summary) + stdout)
                .doesNotContain("pulumi-secret-value-XYZ")
                .contains("***");
    }

    @Test
    void aFifoAsGithubOutputFailsBeforeAnyWorkInsteadOfHanging() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(
                        new ProcessBuilder("mkfifo", fifo.toString())
                                .start()
                                .waitFor(10, TimeUnit.SECONDS))
                .isTrue();
        Path store = Files.createDirectories(dir.resolve("store"));
        CommandHarness.Result r =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(20),
                        () ->
                                CommandHarness.create()
                                        .workDir(dir)
                                        .env("GITHUB_OUTPUT", fifo.toString())
                                        .run(
                                                "download-artifact",
                                                "--name",
                                                "a",
                                                "--store",
                                                store.toString(),
                                                "--dest",
                                                "dest"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(r.err()).contains("GITHUB_OUTPUT", "not a regular file");
        assertThat(dir.resolve("dest")).doesNotExist();
    }

    @Test
    void anUnwritableGithubOutputFailsBeforeTheWorkLands() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.createDirectories(store.resolve("a"));
        Files.write(
                store.resolve("a/artifact.zip"),
                new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Files.writeString(
                store.resolve("a/artifact.json"),
                "{\"id\":1,\"name\":\"a\",\"size\":22,\"created_at\":\"2025-01-01T00:00:00Z\"}");
        CommandHarness.Result r =
                CommandHarness.create()
                        .workDir(dir)
                        .env("GITHUB_OUTPUT", dir.resolve("no/such/dir/output").toString())
                        .run(
                                "download-artifact",
                                "--name",
                                "a",
                                "--no-verify",
                                "--store",
                                store.toString(),
                                "--dest",
                                "dest");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(r.err()).contains("GITHUB_OUTPUT", "its directory is not writable");
        assertThat(dir.resolve("dest")).as("the work did not land first").doesNotExist();
    }

    @Test
    void aDirectoryAsGithubStepSummaryIsAPrerequisiteError() {
        CommandHarness.Result r =
                CommandHarness.create()
                        .workDir(dir)
                        .env("GITHUB_STEP_SUMMARY", dir.toString())
                        .run("verify-zip", "nothing.zip");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(r.err()).contains("GITHUB_STEP_SUMMARY", "is a directory");
    }

    @Test
    void escapingMakesEveryControlVisible() {
        assertThat(OutsideText.escape("a\nb\r\tc\u0000\u007f\u0085\u2028\u202e"))
                .isEqualTo("a\\nb\\r\\tc\\x00\\x7f\\x85\\u2028\\u202e");
        assertThat(OutsideText.line("  ::debug::x", true)).isEqualTo("  \\x3a:debug::x");
        assertThat(OutsideText.line("::debug::x", false)).isEqualTo("::debug::x");
    }

    @Test
    void signedUrlsAreRegisteredEvenWhenMalformed() {
        SecretRegistry.registerSignedUrl("https://bad host/p?sv=2&sig=AbC%2BdEf123%3D&se=x");
        assertThat(SecretRegistry.redact("sig=AbC+dEf123= and AbC%2BdEf123%3D"))
                .isEqualTo("sig=*** and ***");
    }

    @Test
    void onlyTheCredentialParametersOfASignedUrlAreMaskedAlone() {
        // act's upload URL names the artifact in its query; masking it would redact the job's
        // outputs
        SecretRegistry.registerSignedUrl(
                "http://127.0.0.1:1/upload?sig=Zm9vYmFyYmF6cXV4&expires=2026-12-06+15%3A04%3A05"
                        + "&artifactName=rust-scorer-abc1234.zip&taskID=123456&X-Amz-Security-Token=tok3n-value-xyz");
        assertThat(
                        SecretRegistry.redact(
                                "artifact rust-scorer-abc1234.zip, task 123456, sig Zm9vYmFyYmF6cXV4, tok3n-value-xyz"))
                .isEqualTo("artifact rust-scorer-abc1234.zip, task 123456, sig ***, ***");
    }
}
