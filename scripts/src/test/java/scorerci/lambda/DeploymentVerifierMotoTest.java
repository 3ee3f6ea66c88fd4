package scorerci.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.testing.MotoServer;
import scorerci.zip.VerifiedZip;
import software.amazon.awssdk.services.lambda.model.Architecture;

/** DeploymentVerifier against moto's server: functions created from real arm64 zips. */
class DeploymentVerifierMotoTest {
    static final String OK_RESPONSE =
            "{\"statusCode\":200,\"statusDescription\":\"200 OK\",\"body\":\"OK\",\"isBase64Encoded\":false}";

    @TempDir static Path dir;
    static MotoServer moto;
    static LambdaFixtures aws;
    static VerifiedZip zip;
    static VerifiedZip otherZip;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        aws = new LambdaFixtures(moto).prepareAccount(dir);
        zip = LambdaFixtures.scorerZip(dir, "bootstrap.zip", "build A");
        otherZip = LambdaFixtures.scorerZip(dir, "other.zip", "build B");
    }

    @AfterAll
    static void stop() {
        if (aws != null) aws.close();
        if (moto != null) moto.close();
    }

    private DeploymentVerifier verifier() {
        return new DeploymentVerifier(aws.lambda(), Log.silent())
                .waitAtMost(Duration.ofSeconds(2), Duration.ofMillis(100));
    }

    @Test
    void theFunctionCreatedFromTheZipPassesEveryCheckIncludingTheSmokeInvoke() throws Exception {
        aws.createFunction("scorer-ok", zip);
        moto.queueInvokeResults(List.of(OK_RESPONSE));

        VerificationReport report = verifier().verify("scorer-ok", zip);

        assertThat(report.ok()).isTrue();
        assertThat(report.checks())
                .extracting(Check::name)
                .containsExactly(
                        "state",
                        "last update",
                        "package type",
                        "runtime",
                        "handler",
                        "architectures",
                        "OTEL layer",
                        "CodeSha256",
                        SmokeInvocation.CHECK_NAME);
        assertThat(report.check("CodeSha256").actual()).isEqualTo(zip.codeSha256());
        assertThat(report.check("architectures").actual()).isEqualTo("[arm64]");
        assertThat(report.check("OTEL layer").actual())
                .contains(":layer:" + DeploymentVerifier.OTEL_LAYER_NAME + ":1");
    }

    @Test
    void aDifferentZipIsACodeSha256MismatchNamingBothHashes() {
        aws.createFunction("scorer-other-zip", otherZip);

        assertThatThrownBy(() -> verifier().invoke(false).verify("scorer-other-zip", zip))
                .isInstanceOfSatisfying(
                        FunctionVerificationException.class,
                        e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION);
                            assertThat(e.report().failures())
                                    .extracting(Check::name)
                                    .containsExactly("CodeSha256");
                            assertThat(e.getMessage())
                                    .contains(
                                            "CodeSha256: expected "
                                                    + zip.codeSha256()
                                                    + ", actual "
                                                    + otherZip.codeSha256())
                                    .contains("a different zip was deployed")
                                    .doesNotContain("\n");
                        });
    }

    @Test
    void x86ArchitectureFailsWithTheExecFormatErrorHint() {
        aws.createFunction(
                "scorer-x86", zip, Architecture.X86_64, List.of(LambdaFixtures.LAYER_ARN));

        assertThatThrownBy(() -> verifier().invoke(false).verify("scorer-x86", zip))
                .isInstanceOfSatisfying(
                        FunctionVerificationException.class,
                        e -> {
                            assertThat(e.report().failures())
                                    .extracting(Check::name)
                                    .containsExactly("architectures");
                            assertThat(e.getMessage())
                                    .contains("architectures: expected [arm64], actual [x86_64]")
                                    .contains("exec format error");
                        });
    }

    @Test
    void aMissingLayerFailsWithTheNoTracesHint() {
        aws.createFunction("scorer-no-layer", zip, Architecture.ARM64, List.of());

        assertThatThrownBy(() -> verifier().invoke(false).verify("scorer-no-layer", zip))
                .isInstanceOfSatisfying(
                        FunctionVerificationException.class,
                        e -> {
                            assertThat(e.report().failures())
                                    .extracting(Check::name)
                                    .containsExactly("OTEL layer");
                            assertThat(e.getMessage())
                                    .contains(
                                            "OTEL layer: expected "
                                                    + DeploymentVerifier.OTEL_LAYER_NAME)
                                    .contains("actual (none)")
                                    .contains("no X-Ray traces");
                        });
    }

    @Test
    void everyMismatchIsListedNotJustTheFirst() {
        aws.createFunction("scorer-all-wrong", otherZip, Architecture.X86_64, List.of());

        assertThatThrownBy(() -> verifier().invoke(false).verify("scorer-all-wrong", zip))
                .isInstanceOfSatisfying(
                        FunctionVerificationException.class,
                        e ->
                                assertThat(e.report().failures())
                                        .extracting(Check::name)
                                        .containsExactly(
                                                "architectures", "OTEL layer", "CodeSha256"));
    }

    @Test
    void aSmokeInvokeAnswering500Fails() throws Exception {
        aws.createFunction("scorer-500", zip);
        moto.queueInvokeResults(
                List.of("{\"statusCode\":500,\"body\":\"{\\\"error\\\":\\\"boom\\\"}\"}"));

        assertThatThrownBy(() -> verifier().verify("scorer-500", zip))
                .isInstanceOfSatisfying(
                        FunctionVerificationException.class,
                        e -> {
                            assertThat(e.report().failures())
                                    .extracting(Check::name)
                                    .containsExactly(SmokeInvocation.CHECK_NAME);
                            assertThat(e.getMessage())
                                    .contains("response statusCode 500")
                                    .contains("boom");
                        });
    }

    @Test
    void aPublishedVersionIsCheckedWithItsQualifier() throws Exception {
        aws.createFunction("scorer-versions", zip);
        aws.updateCode("scorer-versions", otherZip, true);

        assertThat(verifier().invoke(false).verify("scorer-versions", "1", zip).target())
                .isEqualTo("scorer-versions:1");
        assertThatThrownBy(() -> verifier().invoke(false).verify("scorer-versions", "2", zip))
                .hasMessageContaining("scorer-versions:2")
                .hasMessageContaining("CodeSha256");
    }

    @Test
    void anUnknownFunctionIsNotFound() {
        assertThatThrownBy(() -> verifier().verify("no-such-function", zip))
                .isInstanceOfSatisfying(
                        PipelineException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_FOUND))
                .hasMessageContaining("no-such-function")
                .hasMessageContaining("--function");
    }

    @Test
    void deploysHookVerifiesThePublishedVersionAndReturnsOneLineOfProof() throws Exception {
        aws.createFunction("scorer-hook", zip);
        aws.updateCode("scorer-hook", otherZip, true);
        moto.queueInvokeResults(List.of(OK_RESPONSE));
        Path summary = java.nio.file.Files.createTempFile(dir, "summary", ".md");
        java.util.Map<String, String> env =
                java.util.Map.of(
                        "AWS_ACCESS_KEY_ID",
                        MotoServer.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY",
                        MotoServer.SECRET_KEY,
                        "AWS_ENDPOINT_URL_LAMBDA",
                        moto.endpoint().toString(),
                        "GITHUB_STEP_SUMMARY",
                        summary.toString());

        String proof =
                FunctionVerification.forDeploy(
                        new scorerci.stack.DeployedFunction(
                                "scorer-hook", null, "1", "live", null, zip.codeSha256()),
                        zip,
                        "us-west-2",
                        env,
                        Log.silent());

        assertThat(proof)
                .startsWith("scorer-hook:1 serves CodeSha256 " + zip.codeSha256() + " (")
                .contains("[arm64]")
                .contains(DeploymentVerifier.OTEL_LAYER_NAME)
                .contains("HTTP 200")
                .doesNotContain("\n");
        assertThat(java.nio.file.Files.readString(summary))
                .contains("Deployed function verification: scorer-hook:1");
        assertThatThrownBy(
                        () ->
                                FunctionVerification.forDeploy(
                                        new scorerci.stack.DeployedFunction(
                                                "scorer-hook", null, "2", "live", null, null),
                                        zip,
                                        "us-west-2",
                                        env,
                                        Log.silent()))
                .isInstanceOf(FunctionVerificationException.class)
                .hasMessageContaining("scorer-hook:2");
    }
}
