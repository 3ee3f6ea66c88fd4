package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.lambda.LambdaClients;
import scorerci.testing.CommandHarness;
import scorerci.testing.MotoServer;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

/**
 * deploy end to end against moto: `deploy staging --yes` runs the fake pulumi, whose `up` makes the
 * AWS provider's Lambda/IAM calls against moto (FAKE_PULUMI_AWS_ENDPOINT), and then the REAL
 * verifier ({@link PostDeployCheck#AWS}, the AWS SDK) checks that function in moto through
 * AWS_ENDPOINT_URL with dummy credentials. Nothing here can reach AWS: both point at 127.0.0.1, and
 * the fake refuses any endpoint that is not loopback.
 *
 * <p>moto has no Docker here, so Invoke cannot run the arm64 bootstrap: moto's simple Lambda
 * answers Invoke from results queued through its test API ({@link MotoServer#queueInvokeResults}),
 * else echoes the event. The smoke check therefore proves the call path (the published version is
 * invokable with the ALB event, the response is read and judged), not that the binary serves
 * /health.
 */
class DeployVerifyMotoTest {
    static final String FUNCTION = "passport-v2-rust-scorer";

    /** What the scorer answers to the ALB GET /health event (as the lambda tests queue it). */
    static final String HEALTH_200 =
            "{\"statusCode\":200,\"statusDescription\":\"200 OK\",\"body\":\"OK\","
                    + "\"isBase64Encoded\":false}";

    @TempDir Path tmp;
    DeployFixture fx;
    MotoServer moto;
    LambdaClient lambda;
    Path summary;

    @BeforeEach
    void setUp() throws Exception {
        fx = new DeployFixture(tmp);
        moto = MotoServer.start();
        lambda = LambdaClients.create(moto.settings());
        // the account as the stack finds it: the ADOT collector layer exists (AWS publishes it in
        // every
        // region); moto resolves layers by name, and only if they were published before the
        // docker-free switch
        lambda.publishLayerVersion(
                b ->
                        b.layerName(scorerci.lambda.DeploymentVerifier.OTEL_LAYER_NAME)
                                .compatibleArchitectures(Architecture.ARM64)
                                .content(
                                        c ->
                                                c.zipFile(
                                                        SdkBytes.fromByteArray(
                                                                new byte[] {
                                                                    'P', 'K', 5, 6, 0, 0, 0, 0, 0,
                                                                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                                    0, 0
                                                                }))));
        moto.useSimpleLambda();
        summary = tmp.resolve("step-summary.md");
    }

    @AfterEach
    void tearDown() {
        if (lambda != null) lambda.close();
        if (moto != null) moto.close();
    }

    /** deploy as CI runs it, with pulumi and the SDK both pointed at moto. */
    private CommandHarness deploy() {
        String endpoint = moto.endpoint().toString();
        return fx.harness()
                .env("AWS_ENDPOINT_URL", endpoint)
                .env("FAKE_PULUMI_AWS_ENDPOINT", endpoint)
                .env("GITHUB_STEP_SUMMARY", summary.toString());
    }

    private VerifiedZip zip(Path path) {
        return ZipVerifier.verify(
                path,
                ZipRules.defaults()
                        .withRequiredEntries(
                                scorerci.zip.DeclaredEntries.findFrom(java.nio.file.Path.of(""))
                                        .orElseThrow()
                                        .required()));
    }

    private GetFunctionConfigurationResponse inMoto(String qualifier) {
        return lambda.getFunctionConfiguration(b -> b.functionName(FUNCTION).qualifier(qualifier));
    }

    @Test
    void theZipIsDeployedToMotoAndTheRealVerifierProvesThePublishedVersionServesIt()
            throws Exception {
        VerifiedZip zip = zip(fx.zip);
        moto.queueInvokeResults(List.of(HEALTH_200));

        var result = deploy().run("deploy", "staging", "--yes");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        // what pulumi up left in "AWS": the program's settings, version 1, alias live on it
        GetFunctionConfigurationResponse v1 = inMoto("1");
        assertThat(v1.codeSha256()).isEqualTo(zip.codeSha256());
        assertThat(v1.runtimeAsString()).isEqualTo("provided.al2023");
        assertThat(v1.handler()).isEqualTo("bootstrap");
        assertThat(v1.architecturesAsStrings()).containsExactly("arm64");
        assertThat(v1.memorySize()).isEqualTo(256);
        assertThat(v1.timeout()).isEqualTo(30);
        assertThat(v1.layers())
                .singleElement()
                .extracting(l -> l.arn())
                .asString()
                .contains(":layer:aws-otel-collector-arm64-ver-0-117-0:");
        assertThat(lambda.getAlias(b -> b.functionName(FUNCTION).name("live")).functionVersion())
                .isEqualTo("1");
        assertThat(fx.pulumi.outputs(DeployFixture.STAGING))
                .containsEntry("rustScorerPublishedVersion", "1")
                .containsEntry("rustScorerCodeSha256", zip.codeSha256())
                .containsEntry(
                        "rustScorerFunctionArn",
                        "arn:aws:lambda:us-west-2:123456789012:function:" + FUNCTION);

        // and what the verifier printed and wrote after asking moto
        assertThat(result.out())
                .contains("function " + FUNCTION + ":1: verified")
                .containsPattern("ok +architectures +\\[arm64\\]")
                .containsPattern(
                        "ok +CodeSha256 +" + java.util.regex.Pattern.quote(zip.codeSha256()))
                .containsPattern("ok +smoke invoke GET /health +HTTP 200, response statusCode 200")
                .contains("verified  " + FUNCTION + ":1 serves CodeSha256 " + zip.codeSha256());
        assertThat(Files.readString(summary))
                .contains("### Deployed function verification: " + FUNCTION + ":1 ✅")
                .contains("| Check | Expected | Actual | Result |")
                .contains(
                        "| CodeSha256 | `"
                                + zip.codeSha256()
                                + "` | `"
                                + zip.codeSha256()
                                + "` | ✅ ok |")
                .contains("**Verified:** " + FUNCTION + ":1 serves CodeSha256 " + zip.codeSha256());

        // a new build: up publishes version 2 and verification looks at it; the alias stays
        // (rollout moves it)
        DeployFixture.writeZip(fx.zip, "{\"weights\": 2}\n");
        VerifiedZip second = zip(fx.zip);
        moto.queueInvokeResults(List.of(HEALTH_200));
        var again = deploy().run("deploy", "staging", "--yes");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out())
                .contains("verified  " + FUNCTION + ":2 serves CodeSha256 " + second.codeSha256());
        assertThat(inMoto("2").codeSha256())
                .isEqualTo(second.codeSha256())
                .isNotEqualTo(zip.codeSha256());
        assertThat(lambda.getAlias(b -> b.functionName(FUNCTION).name("live")).functionVersion())
                .isEqualTo("1");
    }

    @Test
    void otherBytesInLambdaThanTheVerifiedZipAreExit4NamingTheCodeSha256Mismatch()
            throws Exception {
        VerifiedZip meant = zip(fx.zip);
        Path other = tmp.resolve("other/bootstrap.zip");
        DeployFixture.writeZip(other, "{\"weights\": \"someone else's build\"}\n");
        VerifiedZip uploaded = zip(other);
        moto.queueInvokeResults(List.of(HEALTH_200));

        // the program reports the zip it hashed, the provider uploads other bytes (code changed
        // behind Pulumi)
        var result =
                deploy().env("FAKE_PULUMI_UPLOAD_ZIP", other.toString())
                        .run("deploy", "staging", "--yes");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(fx.pulumi.outputs(DeployFixture.STAGING))
                .containsEntry("rustScorerCodeSha256", meant.codeSha256());
        assertThat(inMoto("1").codeSha256()).isEqualTo(uploaded.codeSha256());
        assertThat(result.err())
                .contains(
                        "deployed function "
                                + FUNCTION
                                + ":1 is not what was meant to be deployed: "
                                + "CodeSha256: expected "
                                + meant.codeSha256()
                                + ", actual "
                                + uploaded.codeSha256());
        assertThat(result.out()).containsPattern("FAIL +CodeSha256").doesNotContain("verified  ");
        assertThat(Files.readString(summary))
                .contains("### Deployed function verification: " + FUNCTION + ":1 ❌");
    }

    @Test
    void anX8664FunctionIsExit4NamingTheArchitectureWithTheExecFormatHint() throws Exception {
        moto.queueInvokeResults(List.of(HEALTH_200));

        var result =
                deploy().env("FAKE_PULUMI_ARCHITECTURE", "x86_64")
                        .run("deploy", "staging", "--yes");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(inMoto("1").architecturesAsStrings()).containsExactly("x86_64");
        assertThat(result.err())
                .contains("architectures: expected [arm64], actual [x86_64]")
                .contains("exec format error");
        assertThat(result.out())
                .containsPattern("ok +CodeSha256")
                .containsPattern("FAIL +architectures");
    }

    @Test
    void theSmokeInvokeIsReallyMadeAndJudged_moto_echoingTheEventFailsIt() {
        // nothing queued: moto's simple Lambda echoes the ALB event back, which has no statusCode
        var result = deploy().run("deploy", "staging", "--yes");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(result.err())
                .contains(
                        "smoke invoke GET /health: expected HTTP 200, no FunctionError, response "
                                + "statusCode 200, actual HTTP 200, response without statusCode, payload ");
        assertThat(result.out())
                .containsPattern("ok +CodeSha256")
                .containsPattern("FAIL +smoke invoke GET /health");
    }

    @Test
    void theFakesAwsProviderRefusesAnyEndpointButLoopback_soNoTestCanDeployToAws() {
        var result =
                deploy().env("FAKE_PULUMI_AWS_ENDPOINT", "https://lambda.us-west-2.amazonaws.com")
                        .run("deploy", "staging", "--yes");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        assertThat(result.err()).contains("the fake pulumi deploys only to a local AWS emulator");
        assertThat(lambda.listFunctions().functions()).isEmpty();
    }
}
