package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.fakes.FakePulumi;
import scorerci.stack.DeployedFunction;
import scorerci.testing.CommandHarness;
import scorerci.zip.VerifiedZip;

/** deploy end to end in-process: real zip checks and Java side, the fake pulumi on PATH. */
class DeployCommandTest {
    @TempDir Path tmp;
    DeployFixture fx;
    FakePulumi pulumi;

    /**
     * What the Lambda verification was handed (the Lambda side is scorerci.lambda's, tested there).
     */
    final List<String> verified = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new DeployFixture(tmp);
        pulumi = fx.pulumi;
        fx.lambdaCheck =
                (function, zip, region, env, log) -> {
                    verified.add(
                            function.functionName()
                                    + ":"
                                    + function.qualifier()
                                    + " "
                                    + zip.codeSha256()
                                    + " "
                                    + region);
                    return function.functionName()
                            + ":"
                            + function.qualifier()
                            + " serves CodeSha256 "
                            + zip.codeSha256();
                };
    }

    private String select(String stack) {
        return "stack select -c " + stack + " --non-interactive";
    }

    private String config(String stack) {
        return "config set aws:region us-west-2 -s " + stack + " --non-interactive";
    }

    /** deploy reads the stack's secret config values once, to mask and redact them. */
    private String secrets(String stack) {
        return "config --show-secrets --json --stack " + stack + " --non-interactive";
    }

    private String preview(String stack) {
        return "preview --diff --json --non-interactive --stack " + stack;
    }

    private String up(String stack) {
        return "up --yes --skip-preview --json --non-interactive --stack " + stack;
    }

    private String outputs(String stack) {
        return "stack output --json --stack " + stack + " --non-interactive";
    }

    @Test
    void previewOnlySelectsConfiguresAndPreviewsInInfraAwsWithTheZipInTheEnvironment()
            throws Exception {
        var result = fx.harness().run("deploy", "staging", "--preview-only");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(pulumi.commands())
                .containsExactly(
                        select(DeployFixture.STAGING),
                        config(DeployFixture.STAGING),
                        secrets(DeployFixture.STAGING),
                        preview(DeployFixture.STAGING));
        for (FakePulumi.Invocation call : pulumi.invocations()) {
            assertThat(call.cwd()).isEqualTo(fx.project);
            assertThat(call.env())
                    .containsEntry("RUST_SCORER_ZIP", fx.zip.toString())
                    .containsEntry("PULUMI_SKIP_UPDATE_CHECK", "true")
                    .doesNotContainKey("DOCKER_IMAGE_TAG");
            assertThat(call.secrets())
                    .containsKeys(
                            "PULUMI_ACCESS_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        }
        assertThat(result.out())
                .contains("zip       " + fx.zip)
                .contains(
                        "preview   passportxyz/passport-scorer/staging: 12 to create, 0 to update, 0 to delete, "
                                + "0 to replace, 0 unchanged")
                .contains("+  create   aws:lambda/function:Function  passport-v2-rust-scorer");
        assertThat(pulumi.resourceCount(DeployFixture.STAGING))
                .as("a preview applies nothing")
                .isZero();
        assertThat(pulumi.config(DeployFixture.STAGING)).containsEntry("aws:region", "us-west-2");
        assertThat(Files.readString(fx.project.resolve("Pulumi.staging.yaml")))
                .contains("aws:region: us-west-2");
        assertThat(verified).isEmpty();
    }

    @Test
    void yesAppliesWithoutAskingThenVerifiesThePublishedVersionAgainstTheZip() {
        var result = fx.harness().run("deploy", "production", "--yes");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String p = DeployFixture.PRODUCTION;
        assertThat(pulumi.commands())
                .containsExactly(select(p), config(p), secrets(p), preview(p), up(p), outputs(p));
        assertThat(result.err()).doesNotContain("Type the environment name");
        assertThat(result.out())
                .contains(
                        "applied   "
                                + p
                                + ": 12 created, 0 updated, 0 deleted, 0 replaced, 0 unchanged");
        assertThat(pulumi.resourceCount(p)).isEqualTo(12);
        VerifiedZip zip =
                scorerci.zip.ZipVerifier.verify(
                        fx.zip,
                        scorerci.zip.ZipRules.defaults()
                                .withRequiredEntries(
                                        scorerci.zip.DeclaredEntries.findFrom(
                                                        java.nio.file.Path.of(""))
                                                .orElseThrow()
                                                .required()));
        assertThat(verified)
                .containsExactly("passport-v2-rust-scorer:1 " + zip.codeSha256() + " us-west-2");
        assertThat(result.out())
                .contains(
                        "verified  passport-v2-rust-scorer:1 serves CodeSha256 "
                                + zip.codeSha256());
    }

    @Test
    void theSameZipAgainIsNoChangeAndANewZipUpdatesTheFunction() throws Exception {
        assertThat(fx.harness().run("deploy", "staging", "--yes").exitCode()).isZero();

        var again = fx.harness().run("deploy", "staging", "--preview-only");
        assertThat(again.out())
                .contains("0 to create, 0 to update, 0 to delete, 0 to replace, 12 unchanged");

        DeployFixture.writeZip(fx.zip, "{\"weights\": 2}\n");
        var changed = fx.harness().run("deploy", "staging", "--yes");
        assertThat(changed.exitCode()).as(changed.toString()).isZero();
        assertThat(changed.out())
                .contains("0 to create, 2 to update, 0 to delete, 0 to replace, 10 unchanged")
                .contains(
                        "~  update   aws:lambda/function:Function  passport-v2-rust-scorer  (code, sourceCodeHash)")
                .contains("applied   " + DeployFixture.STAGING + ": 0 created, 2 updated");
        assertThat(verified).last().asString().startsWith("passport-v2-rust-scorer:2 ");
    }

    @Test
    void tagIsPassedToPulumiAsDockerImageTag() {
        var result = fx.harness().run("deploy", "review", "--preview-only", "--tag", "1a2b3c4");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(pulumi.invocations())
                .allSatisfy(
                        call ->
                                assertThat(call.env())
                                        .containsEntry("DOCKER_IMAGE_TAG", "1a2b3c4"));
    }

    @Test
    void tagWithoutAZipDownloadsTheArtifactFirstThroughDownloadArtifact() throws Exception {
        Path store = tmp.resolve("artifact-store");
        var upload =
                fx.harness()
                        .env("SCORER_ARTIFACT_STORE", store.toString())
                        .run("upload-artifact", "--tag", "1a2b3c4", "--file", fx.zip.toString());
        assertThat(upload.exitCode()).as(upload.toString()).isZero();
        Files.delete(fx.zip);

        var result =
                fx.harness()
                        .env("SCORER_ARTIFACT_STORE", store.toString())
                        .run("deploy", "staging", "--preview-only", "--tag", "1a2b3c4");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err())
                .contains(
                        "zip absent: downloading the artifact for tag 1a2b3c4 into "
                                + fx.zip.getParent());
        assertThat(fx.zip).exists();
        assertThat(pulumi.invocations())
                .hasSize(4)
                .allSatisfy(
                        call ->
                                assertThat(call.env())
                                        .containsEntry("DOCKER_IMAGE_TAG", "1a2b3c4")
                                        .containsEntry("RUST_SCORER_ZIP", fx.zip.toString()));
    }

    @Test
    void stagingAsksAndAppliesOnYes() {
        var result = fx.harness().stdin("yes\n").run("deploy", "staging");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err())
                .contains(
                        "Apply 12 to create, 0 to update, 0 to delete, 0 to replace, 0 unchanged to "
                                + "staging ("
                                + DeployFixture.STAGING
                                + ")? Type yes to apply: ");
        assertThat(pulumi.commands()).contains(up(DeployFixture.STAGING));
    }

    @Test
    void noAnswerDeclinesAndNothingIsApplied() {
        var result = fx.harness().stdin("").run("deploy", "staging");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.ABORTED.code);
        assertThat(result.err()).contains("error: deploy to staging declined: nothing was applied");
        assertThat(pulumi.commands())
                .containsExactly(
                        select(DeployFixture.STAGING),
                        config(DeployFixture.STAGING),
                        secrets(DeployFixture.STAGING),
                        preview(DeployFixture.STAGING));
        assertThat(pulumi.resourceCount(DeployFixture.STAGING)).isZero();
    }

    @Test
    void productionNeedsItsNameTypedAYesIsNotEnough() {
        var declined = fx.harness().stdin("yes\n").run("deploy", "production");
        assertThat(declined.exitCode()).as(declined.toString()).isEqualTo(ExitCode.ABORTED.code);
        assertThat(declined.err())
                .contains("Type the environment name (production) to apply: ")
                .contains("type 'production' when asked, or pass --yes in CI");
        assertThat(pulumi.commands()).doesNotContain(up(DeployFixture.PRODUCTION));

        var accepted = fx.harness().stdin("production\n").run("deploy", "production");
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
        assertThat(pulumi.commands()).contains(up(DeployFixture.PRODUCTION));
    }

    @Test
    void aFailingUpIsToolFailedWithPulumisErrorLine() throws Exception {
        pulumi.failOn(
                "up",
                "creating Lambda Function (passport-v2-rust-scorer): InvalidParameterValueException: "
                        + "Unzipped size must be smaller than 262144000 bytes");
        Path summary = tmp.resolve("summary.md");
        var result =
                fx.harness()
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .run("deploy", "staging", "--yes");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        assertThat(Files.readString(summary))
                .contains("### Pulumi preview: staging")
                .contains("### ❌ Pulumi up failed: staging")
                .contains("InvalidParameterValueException")
                .contains("Changed before the failure:")
                .contains("| + create | `aws:iam/role:Role` |");
        List<String> errors =
                result.err().lines().filter(l -> l.startsWith("error: pulumi")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0))
                .startsWith(
                        "error: pulumi up --yes --skip-preview --json --non-interactive --stack "
                                + DeployFixture.STAGING
                                + " failed (exit 1): ")
                .contains(
                        "InvalidParameterValueException: Unzipped size must be smaller than 262144000 bytes");
        assertThat(result.err())
                .contains("✗ create failed: aws:lambda/function:Function passport-v2-rust-scorer");
        assertThat(result.out()).doesNotContain("applied");
        assertThat(verified).isEmpty();
    }

    @Test
    void aFailingPreviewStopsBeforeUp() {
        pulumi.failOn(
                "preview", "could not validate provider configuration: Invalid or unknown key");
        var result = fx.harness().run("deploy", "staging", "--yes");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        assertThat(result.err())
                .contains(
                        "failed (exit 1): could not validate provider configuration: Invalid or unknown key");
        assertThat(pulumi.commands()).doesNotContain(up(DeployFixture.STAGING));
    }

    @Test
    void aRejectedTokenFailsAtStackSelect() {
        pulumi.rejectTokens();
        var result = fx.harness().run("deploy", "staging", "--preview-only");
        assertThat(result.exitCode()).isEqualTo(ExitCode.TOOL_FAILED.code);
        assertThat(result.err())
                .contains(
                        "pulumi stack select -c "
                                + DeployFixture.STAGING
                                + " --non-interactive failed (exit 1): problem logging in");
    }

    @Test
    void stepSummaryAndOutputsCarryThePlannedAndAppliedChanges() throws Exception {
        Path summary = tmp.resolve("summary.md");
        Path outputs = tmp.resolve("outputs.txt");
        var result =
                fx.harness()
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .env("GITHUB_OUTPUT", outputs.toString())
                        .run("deploy", "staging", "--yes", "--tag", "abc1234");
        assertThat(result.exitCode()).as(result.toString()).isZero();

        String md = Files.readString(summary);
        assertThat(md)
                .contains("### Pulumi preview: staging")
                .contains(
                        "Stack `"
                                + DeployFixture.STAGING
                                + "` · region `us-west-2` · zip `bootstrap.zip`")
                .contains("· tag `abc1234`")
                .contains(
                        "| Create | Update | Delete | Replace | Unchanged |\n|---|---|---|---|---|\n| 12 | 0 | 0 | 0 | 0 |")
                .contains(
                        "| + create | `aws:lambda/function:Function` | `passport-v2-rust-scorer` |  |")
                .contains("### Pulumi up: staging")
                .contains("**Verified:** passport-v2-rust-scorer:1 serves CodeSha256");
        assertThat(md.indexOf("### Pulumi preview")).isLessThan(md.indexOf("### Pulumi up"));
        assertThat(Files.readAllLines(outputs))
                .contains(
                        "creates=12",
                        "updates=0",
                        "deletes=0",
                        "sames=0",
                        "changes=12",
                        "function-name=passport-v2-rust-scorer");
    }

    @Test
    void dryRunIsThePreview() {
        var result = fx.harness().run("deploy", "staging", "--dry-run", "--yes");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        String s = DeployFixture.STAGING;
        assertThat(pulumi.commands()).containsExactly(select(s), config(s), secrets(s), preview(s));
        assertThat(pulumi.resourceCount(s)).isZero();
        assertThat(verified).isEmpty();
    }

    @Test
    void formatJsonPrintsTheDeployRecordAndNoSecret() throws Exception {
        var result = fx.harness().run("deploy", "production", "--yes", "--format", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.out());
        assertThat(json.get("environment").asText()).isEqualTo("production");
        assertThat(json.get("stack").asText()).isEqualTo(DeployFixture.PRODUCTION);
        assertThat(json.get("zip").asText()).isEqualTo(fx.zip.toString());
        assertThat(json.get("codeSha256").asText()).hasSize(44);
        assertThat(json.get("planned").get("create").asInt()).isEqualTo(12);
        assertThat(json.get("applied").get("create").asInt()).isEqualTo(12);
        assertThat(json.get("planSha256").isNull()).isTrue();
        assertThat(json.get("functionName").asText()).isEqualTo("passport-v2-rust-scorer");
        assertThat(json.get("verified").asText())
                .isEqualTo(
                        "passport-v2-rust-scorer:1 serves CodeSha256 "
                                + json.get("codeSha256").asText());
        // the lines the text format prints went to stderr
        assertThat(result.err()).contains("applied   " + DeployFixture.PRODUCTION);
        for (String secret :
                List.of(DeployFixture.TOKEN, DeployFixture.AWS_KEY_ID, DeployFixture.AWS_SECRET)) {
            assertThat(result.out() + result.err()).doesNotContain(secret);
        }
    }

    @Test
    void secretsAreMaskedFirstAndNeverPrintedOrRecorded() {
        Path summary = tmp.resolve("summary.md");
        var result =
                fx.harness()
                        .env("GITHUB_ACTIONS", "true")
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .env("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLESESSIONTOKEN")
                        .run("deploy", "staging", "--yes");
        assertThat(result.exitCode()).as(result.toString()).isZero();

        List<String> lines = result.out().lines().toList();
        assertThat(lines.subList(0, 4))
                .containsExactlyInAnyOrder(
                        "::add-mask::" + DeployFixture.TOKEN,
                        "::add-mask::" + DeployFixture.AWS_KEY_ID,
                        "::add-mask::" + DeployFixture.AWS_SECRET,
                        "::add-mask::FwoGZXIvYXdzEXAMPLESESSIONTOKEN");
        String rest = String.join("\n", lines.subList(4, lines.size())) + result.err();
        for (String secret :
                List.of(
                        DeployFixture.TOKEN,
                        DeployFixture.AWS_KEY_ID,
                        DeployFixture.AWS_SECRET,
                        "FwoGZXIvYXdzEXAMPLESESSIONTOKEN")) {
            assertThat(rest).doesNotContain(secret);
            assertThat(pulumi.rawLog()).doesNotContain(secret);
        }
        assertThat(result.out())
                .contains("::group::pulumi preview " + DeployFixture.STAGING)
                .contains("::group::pulumi up " + DeployFixture.STAGING)
                .contains("::endgroup::");
        // inside Actions, Pulumi's lines go to stdout, between their group markers
        String out = result.out();
        int upGroup = out.indexOf("::group::pulumi up");
        assertThat(
                        out.indexOf(
                                "+ created aws:lambda/function:Function passport-v2-rust-scorer",
                                upGroup))
                .isGreaterThan(upGroup)
                .isLessThan(out.indexOf("::endgroup::", upGroup));
    }

    @Test
    void withoutTheLambdaVerifierWiredDeployRefusesBeforeChangingAnything() {
        fx.lambdaCheck = null;
        var result = fx.harness().run("deploy", "staging", "--yes");
        assertThat(result.exitCode()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(result.err())
                .contains("deployment verification is unavailable")
                .contains("--skip-verify");
        assertThat(pulumi.commands()).isEmpty();

        var skipped = fx.harness().run("deploy", "staging", "--yes", "--skip-verify");
        assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
        assertThat(skipped.err())
                .contains("warning: --skip-verify: the deployed function was not checked");
        assertThat(pulumi.commands()).doesNotContain(outputs(DeployFixture.STAGING));
    }

    @Test
    void aStackOutputWithAnotherZipsHashFailsVerification() {
        var function =
                new DeployedFunction(
                        "passport-v2-rust-scorer", null, "3", "live", null, "c3R1Yg==");
        VerifiedZip zip =
                scorerci.zip.ZipVerifier.verify(
                        fx.zip,
                        scorerci.zip.ZipRules.defaults()
                                .withRequiredEntries(
                                        scorerci.zip.DeclaredEntries.findFrom(
                                                        java.nio.file.Path.of(""))
                                                .orElseThrow()
                                                .required()));
        try {
            PostDeployCheck.verify(
                    function,
                    zip,
                    "us-west-2",
                    java.util.Map.of(),
                    scorerci.core.Log.silent(),
                    fx.lambdaCheck);
            org.junit.jupiter.api.Assertions.fail("expected a verification failure");
        } catch (PipelineException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION);
            assertThat(e.getMessage()).contains("Pulumi deployed another zip");
        }
        assertThat(verified)
                .as("AWS is not asked when Pulumi's own record already differs")
                .isEmpty();
    }

    @Test
    void aSavedPulumiLoginIsAcceptedViaWhoami() {
        pulumi.loggedInAs("alice");
        var result =
                CommandHarness.create()
                        .workDir(fx.root)
                        .env("PATH", pulumi.path(System.getenv("PATH")))
                        .env("HOME", fx.root.resolve("home").toString())
                        .env("AWS_PROFILE", "deployer")
                        .run("deploy", "staging", "--preview-only");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err())
                .contains("credentials: AWS profile deployer; Pulumi login of alice");
        assertThat(pulumi.commands().get(0)).isEqualTo("whoami --json --non-interactive");
    }
}
