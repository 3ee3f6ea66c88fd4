package scorerci.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.fakes.FakePulumi;
import scorerci.testing.CommandHarness;
import scorerci.testing.MotoServer;
import scorerci.zip.VerifiedZip;
import software.amazon.awssdk.services.lambda.model.Architecture;

/** {@code verify-deploy} as a user runs it, against moto's server. */
class VerifyDeployCommandMotoTest {
    @TempDir static Path dir;
    static MotoServer moto;
    static LambdaFixtures aws;
    static VerifiedZip zip;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        aws = new LambdaFixtures(moto).prepareAccount(dir);
        zip = LambdaFixtures.scorerZip(dir, "bootstrap.zip", "verify-deploy");
        aws.createFunction("passport-v2-rust-scorer", zip);
        aws.createFunction(
                "wrong-arch", zip, Architecture.X86_64, List.of(LambdaFixtures.LAYER_ARN));
    }

    @AfterAll
    static void stop() {
        if (aws != null) aws.close();
        if (moto != null) moto.close();
    }

    private static CommandHarness harness() {
        return CommandHarness.create()
                .env("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY)
                .env("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
    }

    @Test
    void formatJsonPrintsTheVerdictAndEveryCheck() throws Exception {
        moto.queueInvokeResults(List.of(DeploymentVerifierMotoTest.OK_RESPONSE));
        var result =
                verifyDeploy(harness(), "staging", "passport-v2-rust-scorer", "--format", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.out());
        assertThat(json.get("environment").asText()).isEqualTo("staging");
        assertThat(json.get("functionName").asText()).isEqualTo("passport-v2-rust-scorer");
        assertThat(json.get("qualifier").asText()).isEqualTo("$LATEST");
        assertThat(json.get("verified").asBoolean()).isTrue();
        assertThat(json.get("codeSha256").asText()).isEqualTo(zip.codeSha256());
        var checks = new java.util.ArrayList<String>();
        json.get("checks")
                .forEach(
                        c -> {
                            assertThat(c.get("ok").asBoolean()).as(c.toString()).isTrue();
                            checks.add(c.get("name").asText());
                        });
        assertThat(checks).contains("CodeSha256", "smoke invoke GET /health");
        // the record carries the checks: no check lines besides it
        assertThat(result.out() + result.err())
                .doesNotContain("function passport-v2-rust-scorer: verified")
                .doesNotContain(MotoServer.SECRET_KEY);
    }

    @Test
    void aMatchingFunctionIsVerifiedPrintedSummarisedAndOutput() throws Exception {
        Path summary = Files.createTempFile(dir, "summary", ".md");
        Path outputs = Files.createTempFile(dir, "outputs", ".txt");
        moto.queueInvokeResults(List.of(DeploymentVerifierMotoTest.OK_RESPONSE));

        var result =
                verifyDeploy(
                        harness()
                                .env("GITHUB_STEP_SUMMARY", summary.toString())
                                .env("GITHUB_OUTPUT", outputs.toString()),
                        "staging",
                        "passport-v2-rust-scorer");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("function passport-v2-rust-scorer: verified")
                .containsPattern(
                        "ok +CodeSha256 +" + java.util.regex.Pattern.quote(zip.codeSha256()))
                .containsPattern("ok +smoke invoke GET /health");
        assertThat(Files.readString(summary))
                .contains("### Deployed function verification: passport-v2-rust-scorer ✅")
                .contains("| Check | Expected | Actual | Result |")
                .contains("| architectures | `[arm64]` | `[arm64]` | ✅ ok |");
        assertThat(Files.readAllLines(outputs))
                .contains(
                        "function-name=passport-v2-rust-scorer", "code-sha256=" + zip.codeSha256());
        // the digest chain (issue 12): no statement or download record here, so those links are
        // unknown
        assertThat(result.out())
                .contains("digest chain: build → artifact → downloaded → deployed")
                .containsPattern("downloaded +sha256:" + zip.sha256Hex())
                .containsPattern(
                        "deployed +CodeSha256 "
                                + java.util.regex.Pattern.quote(zip.codeSha256())
                                + " +matched downloaded")
                .contains("not fetched by download-artifact here");
        assertThat(Files.readString(summary)).contains("### Digest chain ✅");
    }

    /** verify-deploy ENVIRONMENT --function FUNCTION against the scorer zip, in moto. */
    private static CommandHarness.Result verifyDeploy(
            CommandHarness harness, String environment, String function, String... extra) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "verify-deploy",
                                environment,
                                "--function",
                                function,
                                "--artifact",
                                zip.path().toString(),
                                "--endpoint-url",
                                moto.endpoint().toString()));
        args.addAll(List.of(extra));
        return harness.run(args.toArray(String[]::new));
    }

    /** The x86_64 function against the arm64 zip, without the invoke. */
    private static CommandHarness.Result wrongArch(CommandHarness harness, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--no-invoke"));
        args.addAll(List.of(extra));
        return verifyDeploy(harness, "review", "wrong-arch", args.toArray(String[]::new));
    }

    @Test
    void aMismatchExitsWithVerificationAndOneErrorLine() throws Exception {
        Path summary = Files.createTempFile(dir, "summary", ".md");

        var result = wrongArch(harness().env("GITHUB_STEP_SUMMARY", summary.toString()));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(result.err().lines().filter(l -> l.startsWith("error:")).toList())
                .singleElement()
                .asString()
                .contains("architectures: expected [arm64], actual [x86_64]")
                .contains("exec format error");
        assertThat(result.out()).contains("FAIL architectures");
        assertThat(Files.readString(summary))
                .contains("wrong-arch ❌")
                .contains("❌ the zip's bootstrap is aarch64");
    }

    @Test
    void aMismatchWithFormatJsonPrintsTheFailedRecordAndExits4() throws Exception {
        var result = wrongArch(harness(), "--format", "json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.out());
        assertThat(json.get("verified").asBoolean()).isFalse();
        var failed = new java.util.ArrayList<String>();
        json.get("checks")
                .forEach(
                        c -> {
                            if (!c.get("ok").asBoolean()) failed.add(c.get("name").asText());
                        });
        assertThat(failed).contains("architectures");
        assertThat(result.err()).contains("error: ").contains("architectures");
    }

    @Test
    void theEndpointComesFromAwsEndpointUrlAndTheArtifactFromItsDefaultPath() throws Exception {
        Path work = Files.createTempDirectory(dir, "work");
        Files.createDirectories(work.resolve("rust-scorer-artifact"));
        Files.copy(zip.path(), work.resolve("rust-scorer-artifact/bootstrap.zip"));

        var result =
                harness()
                        .workDir(work)
                        .env("AWS_ENDPOINT_URL", moto.endpoint().toString())
                        .run(
                                "verify-deploy",
                                "production",
                                "--function",
                                "passport-v2-rust-scorer",
                                "--no-invoke");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("verified");
    }

    @Test
    void theFunctionAndItsPublishedVersionComeFromTheStackOutputsWhenPulumiIsThere()
            throws Exception {
        Path work = Files.createTempDirectory(dir, "stack");
        Files.createDirectories(work.resolve("infra/aws"));
        Files.writeString(
                work.resolve("infra/aws/Pulumi.yaml"), "name: passport-scorer\nruntime: nodejs\n");
        // the Pulumi CLI cannot be installed here: the shared stateful fake, with a stack as `up`
        // leaves it
        FakePulumi pulumi = FakePulumi.install(work);
        ObjectNode state = pulumi.state();
        state.put("logged_in_as", "dev");
        state.putObject("stacks")
                .putObject("passportxyz/passport-scorer/staging")
                .putObject("outputs")
                .put("rustScorerFunctionName", "passport-v2-rust-scorer")
                .put("rustScorerPublishedVersion", "1")
                .put("rustScorerAliasName", "live")
                .put("rustScorerCodeSha256", zip.codeSha256());
        Files.writeString(pulumi.binDir().resolve("state.json"), state.toString());

        var ok =
                harness()
                        .workDir(work)
                        .env("PATH", pulumi.path(System.getenv("PATH")))
                        .run(
                                "verify-deploy",
                                "staging",
                                "--artifact",
                                zip.path().toString(),
                                "--no-invoke",
                                "--endpoint-url",
                                moto.endpoint().toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("function passport-v2-rust-scorer:1: verified");
        assertThat(pulumi.invocations())
                .singleElement()
                .satisfies(
                        call -> {
                            assertThat(call.command())
                                    .contains("stack output --json")
                                    .contains("passportxyz/passport-scorer/staging");
                            assertThat(call.cwd()).isEqualTo(work.resolve("infra/aws"));
                        });

        var missing =
                harness()
                        .workDir(work)
                        .env("PATH", pulumi.path(System.getenv("PATH")))
                        .run(
                                "verify-deploy",
                                "review",
                                "--artifact",
                                zip.path().toString(),
                                "--no-invoke",
                                "--endpoint-url",
                                moto.endpoint().toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        assertThat(missing.err())
                .contains("no stack named 'passportxyz/passport-scorer/review' found")
                .contains("--function passport-v2-rust-scorer");
    }

    @Test
    void withoutPulumiTheFunctionMustBeNamed() throws Exception {
        Path emptyBin = Files.createTempDirectory(dir, "empty-bin");
        var result =
                harness()
                        .env("PATH", emptyBin.toString())
                        .run(
                                "verify-deploy",
                                "staging",
                                "--artifact",
                                zip.path().toString(),
                                "--endpoint-url",
                                moto.endpoint().toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(result.err())
                .contains("pulumi is not on PATH")
                .contains("--function passport-v2-rust-scorer");
    }

    @Test
    void badInputFailsBeforeAnyAwsCall() throws Exception {
        var noZip =
                harness()
                        .run(
                                "verify-deploy",
                                "staging",
                                "--function",
                                "f",
                                "--artifact",
                                dir.resolve("nope.zip").toString(),
                                "--endpoint-url",
                                moto.endpoint().toString());
        assertThat(noZip.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(noZip.err()).contains("no zip at").contains("--artifact");

        var env = harness().run("verify-deploy", "qa", "--function", "f");
        assertThat(env.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(env.err()).contains("unknown environment 'qa'");

        var endpoint =
                harness()
                        .run(
                                "verify-deploy",
                                "staging",
                                "--function",
                                "f",
                                "--artifact",
                                zip.path().toString(),
                                "--endpoint-url",
                                "127.0.0.1:5000");
        assertThat(endpoint.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(endpoint.err()).contains("http://");

        var notFound =
                harness()
                        .run(
                                "verify-deploy",
                                "staging",
                                "--function",
                                "not-deployed",
                                "--artifact",
                                zip.path().toString(),
                                "--endpoint-url",
                                moto.endpoint().toString());
        assertThat(notFound.exitCode()).as(notFound.toString()).isEqualTo(ExitCode.NOT_FOUND.code);

        var unreachable =
                harness()
                        .run(
                                "verify-deploy",
                                "staging",
                                "--function",
                                "f",
                                "--artifact",
                                zip.path().toString(),
                                "--endpoint-url",
                                "http://127.0.0.1:1");
        assertThat(unreachable.exitCode())
                .as(unreachable.toString())
                .isEqualTo(ExitCode.REMOTE.code);
        assertThat(unreachable.err()).contains("cannot reach Lambda");
    }
}
