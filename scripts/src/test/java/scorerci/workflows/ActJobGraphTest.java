package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.fakes.FakePulumi;
import scorerci.lambda.DeploymentVerifier;
import scorerci.lambda.LambdaClients;
import scorerci.testing.CommandHarness;
import scorerci.testing.MotoServer;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;

/**
 * The workflow files' job graph on a real runner engine. act evaluates the expressions, needs, job
 * ifs, outputs, reusable workflows and the artifact hand-over of the real .github/workflows, and
 * the jobs run this repository's real commands: upload-artifact and download-artifact against act's
 * own artifact v4 server, deploy against the fake pulumi, whose AWS provider and the deploy's real
 * verifier both talk to moto on 127.0.0.1. What is a stand-in, and why, is in ActRun /
 * ActWorkspace.
 */
@Tag("act")
class ActJobGraphTest {
    static final String PREVIEW_TOKEN = "pul-preview-read-only-token";
    static final String DEPLOY_TOKEN = "pul-deploy-write-token";
    static final String PREVIEW_ROLE = "arn:aws:iam::123456789012:role/scorer-preview";
    static final String DEPLOY_ROLE = "arn:aws:iam::123456789012:role/scorer-deploy";
    static final String STAGING = "passportxyz/passport-scorer/staging";
    static final String PRODUCTION = "passportxyz/passport-scorer/production";
    static final String HEALTH_200 =
            "{\"statusCode\":200,\"statusDescription\":\"200 OK\",\"body\":\"OK\","
                    + "\"headers\":{\"content-type\":\"text/plain\"},\"isBase64Encoded\":false}";
    static final List<String> GENERIC_JOBS =
            List.of("Build rust scorer zip", "Preview staging", "Review staging", "Deploy staging");

    static Path act;

    @TempDir Path dir;

    ActWorkspace workspace;
    FakePulumi pulumi;
    MotoServer moto;
    MotoServer productionAccount;
    String codeSha256;

    @BeforeAll
    static void findAct() {
        act = ActTool.require();
    }

    @BeforeEach
    void prepare() throws Exception {
        workspace = ActWorkspace.create(dir.resolve("repo"));
        pulumi = FakePulumi.install(dir.resolve("pulumi"));
        codeSha256 = ZipVerifier.verify(workspace.zip(), ZipRules.defaults()).codeSha256();
        moto = account();
    }

    /** A moto server as one AWS account as the stack finds it: the ADOT collector layer exists. */
    private MotoServer account() throws Exception {
        MotoServer server = MotoServer.start();
        try (LambdaClient lambda = LambdaClients.create(server.settings())) {
            // moto resolves layers only if they were published before the docker-free switch
            lambda.publishLayerVersion(
                    b ->
                            b.layerName(DeploymentVerifier.OTEL_LAYER_NAME)
                                    .compatibleArchitectures(Architecture.ARM64)
                                    .content(
                                            c ->
                                                    c.zipFile(
                                                            SdkBytes.fromByteArray(
                                                                    new byte[] {
                                                                        'P', 'K', 5, 6, 0, 0, 0, 0,
                                                                        0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                                        0, 0, 0, 0, 0
                                                                    }))));
        }
        server.useSimpleLambda();
        server.queueInvokeResults(List.of(HEALTH_200, HEALTH_200));
        return server;
    }

    @AfterEach
    void stopMoto() {
        if (moto != null) moto.close();
        if (productionAccount != null) productionAccount.close();
    }

    ActRun act(String name) throws IOException {
        String endpoint = moto.endpoint().toString();
        return new ActRun(act, workspace, Files.createDirectories(dir.resolve(name)))
                .path(pulumi.binDir())
                .env("AWS_ENDPOINT_URL", endpoint)
                .env("FAKE_PULUMI_AWS_ENDPOINT", endpoint)
                .secret("PULUMI_ACCESS_TOKEN", DEPLOY_TOKEN)
                .secret("PULUMI_PREVIEW_ACCESS_TOKEN", PREVIEW_TOKEN)
                .var("AWS_PREVIEW_ROLE_ARN", PREVIEW_ROLE)
                .var("AWS_DEPLOY_ROLE_ARN", DEPLOY_ROLE);
    }

    @Test
    void aFullStagingRunBuildsUploadsPreviewsPassesTheGateAndDeploys() throws IOException {
        ActRun.Result r = act("staging").run("build_and_deploy_staging.yml", "refs/heads/main");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.jobs())
                .as(r.toString())
                .containsKeys("Resolve ref", "Test suite")
                .containsKeys(GENERIC_JOBS.toArray(String[]::new))
                .allSatisfy((job, result) -> assertThat(result).as(job).isEqualTo("success"));
        String tag = workspace.shortHead();
        String artifact = "rust-scorer-" + tag + ".zip";
        // build → upload (the real command against act's artifact server, created first) → the name
        // and
        // CodeSha256 arrive as job outputs where the preview and the deploy download and check them
        assertThat(r.standins())
                .contains("jbang upload-artifact --tag " + tag + " --if-exists skip-if-same")
                .contains(
                        "jbang download-artifact --name "
                                + artifact
                                + " --dest rust-scorer-artifact")
                .contains("jbang deploy staging --preview-only --tag " + tag + " --save-plan ")
                // the plan the approval shows is the plan the deploy applies
                .contains("jbang upload-artifact --name pulumi-plan-staging-" + tag + " --file ")
                .contains("jbang download-artifact --name pulumi-plan-staging-" + tag + " --dest ")
                .containsPattern(
                        "jbang deploy staging --tag "
                                + tag
                                + " --plan \\S+/pulumi-plan-staging.json --plan-sha256 [0-9a-f]{64} --yes");
        assertThat(r.output()).containsPattern("Pulumi plan sha256 \\| `[0-9a-f]{64}`");
        assertThat(count(r.standins(), "jbang download-artifact --name " + artifact)).isEqualTo(2);
        assertThat(r.output())
                .containsPattern("status: +uploaded")
                .doesNotContain("the downloaded zip has CodeSha256");
        // the preview assumed the read-only role, the deploy the deploy role, each through OIDC
        assertThat(r.standins())
                .containsSubsequence(
                        "aws mode=oidc role=" + PREVIEW_ROLE + " session=scorer-preview-staging",
                        "jbang deploy staging --preview-only",
                        "aws mode=oidc role=" + DEPLOY_ROLE + " session=scorer-deploy-staging",
                        "jbang deploy staging --tag " + tag + " --plan");
        // pulumi: preview, then up, on the staging stack; the deployed function serves the prebuilt
        // zip
        assertThat(pulumiCommands()).containsSubsequence("preview", "up");
        assertThat(pulumi.outputs(STAGING)).containsEntry("rustScorerCodeSha256", codeSha256);
        assertThat(r.output())
                .contains("verified  passport-v2-rust-scorer:1 serves CodeSha256 " + codeSha256);
        // no secret value reached act's log
        assertThat(r.output()).doesNotContain(DEPLOY_TOKEN, PREVIEW_TOKEN);
    }

    @Test
    void theReleaseWithItsProductionBuildSkippedStillReachesTheGateAndDeploysStagingsZip()
            throws Exception {
        productionAccount = account(); // staging and production are separate AWS accounts
        ActRun.Result r =
                act("release")
                        .input("version_tag", "v9.8.7")
                        .env(
                                "SCORER_ACT_AWS_ENDPOINT_production",
                                productionAccount.endpoint().toString())
                        .run("release_and_deploy_production.yml", "refs/heads/main");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        // the incident: with build_rust_scorer false the production build is skipped, and the
        // preview, the gate and the deploy must run anyway
        assertThat(r.jobs())
                .as(r.toString())
                .containsEntry("Preview production", "success")
                .containsEntry("Review production", "success")
                .containsEntry("Deploy production", "success")
                .containsEntry("Deploy staging", "success")
                .containsEntry("Publish release", "success");
        assertThat(count(r.output(), "Job succeeded")).isEqualTo(r.jobs().size());
        assertThat(count(r.standins(), "jbang upload-artifact --tag"))
                .as("one zip upload for both stacks")
                .isEqualTo(1);
        assertThat(r.standins())
                .contains(
                        "jbang upload-artifact --name pulumi-plan-staging-",
                        "jbang upload-artifact --name pulumi-plan-production-");
        assertThat(
                        count(
                                r.standins(),
                                "jbang download-artifact --name rust-scorer-"
                                        + workspace.shortHead()
                                        + ".zip"))
                .isEqualTo(4);
        assertThat(r.standins())
                .contains(
                        "gh release view v9.8.7", "gh release edit v9.8.7 --draft=false --latest");
        // staging's outputs crossed the reusable-workflow boundary: production checked its zip
        // against them
        assertThat(pulumi.outputs(PRODUCTION)).containsEntry("rustScorerCodeSha256", codeSha256);
        assertThat(pulumi.outputs(STAGING)).containsEntry("rustScorerCodeSha256", codeSha256);
    }

    @Test
    void aFailedPreviewStopsBeforeTheGate() throws IOException {
        pulumi.failOn("preview", "error: preview failed: the program threw");
        ActRun.Result r =
                act("failed-preview").run("build_and_deploy_staging.yml", "refs/heads/main");

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.jobs())
                .as(r.toString())
                .containsEntry("Build rust scorer zip", "success")
                .containsEntry("Preview staging", "failure")
                .doesNotContainKeys("Review staging", "Deploy staging");
        assertThat(pulumiCommands()).doesNotContain("up");
        assertThat(r.standins())
                .doesNotContain("role=" + DEPLOY_ROLE, "jbang deploy staging --tag")
                .doesNotContain("upload-artifact --name pulumi-plan");
    }

    @Test
    void productionRefusesACommitThatIsNotOnTheDefaultBranch() throws IOException {
        workspace.git("checkout", "-q", "-b", "feature");
        workspace.write("feature.txt", "not reviewed\n", false);
        workspace.commit("feature work");
        String feature = workspace.head();
        workspace.git("checkout", "-q", "main");
        ActRun.Result r =
                act("production-feature")
                        .input("commit", feature)
                        .run("build_and_deploy_production.yml", "refs/heads/main");

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.jobs())
                .containsEntry("Resolve ref", "failure")
                .doesNotContainKeys("Preview production", "Deploy production");
        // the guard step is what failed (act sometimes drops the output of a step that fails within
        // milliseconds, so the step's failure line identifies it rather than its ::error:: text)
        assertThat(r.output())
                .contains("Failure - Main Only the default branch or tags go to production");
        assertThat(pulumiCommands()).isEmpty();
    }

    @Test
    void togglingTheTestsOffAndOnKeepsTheGraphRunnable() throws IOException {
        CommandHarness.Result off =
                WorkflowFixtures.toggle(
                        workspace.root,
                        "2026-12-01",
                        "disable",
                        "--reason",
                        "flaky on ARM, see #7",
                        "--until",
                        "2027-01-31");
        assertThat(off.exitCode()).as(off.toString()).isZero();
        workspace.commit("tests off");
        ActRun.Result disabled =
                act("tests-off").run("build_and_deploy_staging.yml", "refs/heads/main");
        assertThat(disabled.exitCode()).as(disabled.toString()).isZero();
        assertThat(disabled.jobs())
                .doesNotContainKey("Test suite")
                .containsEntry("Deploy staging", "success");
        assertThat(disabled.standins()).doesNotContain("run-tests");

        CommandHarness.Result on = WorkflowFixtures.toggle(workspace.root, null, "enable");
        assertThat(on.exitCode()).as(on.toString()).isZero();
        for (String file :
                List.of(
                        "build_and_deploy_staging.yml",
                        "build_and_deploy_production.yml",
                        "build_and_deploy_review.yml",
                        "release_and_deploy_production.yml")) {
            assertThat(Files.readString(workspace.root.resolve(".github/workflows/" + file)))
                    .as(file + " back to the committed form")
                    .isEqualTo(
                            Files.readString(
                                    ActWorkspace.REPO.resolve(".github/workflows/" + file)));
        }
        workspace.commit("tests on");
        ActRun.Result enabled =
                act("tests-on").run("build_and_deploy_staging.yml", "refs/heads/main");
        assertThat(enabled.exitCode()).as(enabled.toString()).isZero();
        assertThat(enabled.jobs())
                .containsEntry("Test suite", "success")
                .containsEntry("Deploy staging", "success");
    }

    @Test
    void aTwentyMebibyteUploadThroughActsServerArrivesByteForByte() throws IOException {
        // act stores Put Block bodies in arrival order: under ACT=true upload-artifact sends its
        // three 8 MiB blocks one at a time, and the other job downloads exactly the bytes uploaded
        Files.copy(
                ActRun.STANDINS.resolve("workflows/act_big_artifact.yml"),
                workspace.root.resolve(".github/workflows/act_big_artifact.yml"));
        workspace.commit("big artifact fixture");
        ActRun.Result r = act("big").run("act_big_artifact.yml", "refs/heads/main");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.jobs())
                .containsEntry("upload", "success")
                .containsEntry("download", "success");
        assertThat(r.standins()).containsPattern("big.bin expected=([0-9a-f]{64}) got=\\1");
    }

    /** The pulumi subcommands the fake recorded, in order ("preview", "up", ...). */
    private List<String> pulumiCommands() {
        return pulumi.invocations().stream()
                .map(i -> i.args().isEmpty() ? "" : i.args().get(0))
                .toList();
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
