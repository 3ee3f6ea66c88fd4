package scorerci.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;
import scorerci.testing.MotoServer;
import scorerci.zip.VerifiedZip;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * {@code rollout} end to end against moto's server: each step is checked by what a follow-up
 * GetAlias reports, as the ALB would route.
 */
class RolloutMotoTest {
    static final String OK = DeploymentVerifierMotoTest.OK_RESPONSE;

    @TempDir static Path dir;
    static MotoServer moto;
    static LambdaFixtures aws;
    static VerifiedZip oldZip;
    static VerifiedZip newZip;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        aws = new LambdaFixtures(moto).prepareAccount(dir);
        oldZip = LambdaFixtures.scorerZip(dir, "old.zip", "release 1");
        newZip = LambdaFixtures.scorerZip(dir, "new.zip", "release 2");
    }

    @AfterAll
    static void stop() {
        if (aws != null) aws.close();
        if (moto != null) moto.close();
    }

    /**
     * Version 1 (old zip) behind alias live, then `pulumi up` with the new zip published as version
     * 2.
     */
    private void deployedTwice(String function) {
        aws.createFunction(function, oldZip);
        aws.createAlias(function, "live", "1");
        aws.updateCode(function, newZip, true);
    }

    private CommandHarness.Result rollout(String function, VerifiedZip zip, String... action)
            throws Exception {
        moto.queueInvokeResults(List.of(OK));
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "rollout",
                                "staging",
                                "--function",
                                function,
                                "--artifact",
                                zip.path().toString(),
                                "--endpoint-url",
                                moto.endpoint().toString()));
        args.addAll(List.of(action));
        return CommandHarness.create()
                .env("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY)
                .env("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY)
                .run(args.toArray(String[]::new));
    }

    private GetAliasResponse alias(String function, String alias) {
        return aws.lambda().getAlias(b -> b.functionName(function).name(alias));
    }

    private Map<String, Double> weights(GetAliasResponse alias) {
        return alias.routingConfig() == null
                ? Collections.emptyMap()
                : alias.routingConfig().additionalVersionWeights();
    }

    @Test
    void percentThenPromoteThenRollbackMoveTheAliasAndPrintBeforeAndAfter() throws Exception {
        deployedTwice("ramp");

        var tenPercent = rollout("ramp", newZip, "--percent", "10");
        assertThat(tenPercent.exitCode()).as(tenPercent.toString()).isZero();
        assertThat(tenPercent.out())
                .contains("before: live → version 1: 100 %")
                .contains("after:  live → version 1: 90 %, version 2: 10 %");
        assertThat(alias("ramp", "live").functionVersion()).isEqualTo("1");
        assertThat(weights(alias("ramp", "live"))).containsExactly(Map.entry("2", 0.1));

        var quarter = rollout("ramp", newZip, "--percent", "25");
        assertThat(quarter.exitCode()).as(quarter.toString()).isZero();
        assertThat(weights(alias("ramp", "live"))).containsExactly(Map.entry("2", 0.25));

        var promote = rollout("ramp", newZip, "--promote");
        assertThat(promote.exitCode()).as(promote.toString()).isZero();
        assertThat(promote.out())
                .contains("before: live → version 1: 75 %, version 2: 25 %")
                .contains("after:  live → version 2: 100 %");
        assertThat(alias("ramp", "live").functionVersion()).isEqualTo("2");
        assertThat(weights(alias("ramp", "live"))).isEmpty();
        assertThat(alias("ramp", "live-previous").functionVersion()).isEqualTo("1");

        var rollback = rollout("ramp", newZip, "--rollback");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out())
                .contains("before: live → version 2: 100 %")
                .contains("after:  live → version 1: 100 %")
                .contains("rolled live back from version 2 to version 1");
        assertThat(alias("ramp", "live").functionVersion()).isEqualTo("1");
        assertThat(weights(alias("ramp", "live"))).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> alias("ramp", "live-previous"))
                .isInstanceOf(ResourceNotFoundException.class);

        var again = rollout("ramp", newZip, "--rollback");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("nothing to roll back");
        assertThat(alias("ramp", "live").functionVersion()).isEqualTo("1");
    }

    @Test
    void formatJsonPrintsTheWeightsBeforeAndAfterAndTheOutputs() throws Exception {
        deployedTwice("json");
        var r = rollout("json", newZip, "--percent", "10", "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(json.get("environment").asText()).isEqualTo("staging");
        assertThat(json.get("functionName").asText()).isEqualTo("json");
        assertThat(json.get("alias").asText()).isEqualTo("live");
        assertThat(json.get("changed").asBoolean()).isTrue();
        assertThat(json.get("before").get("1").decimalValue()).isEqualByComparingTo("100");
        assertThat(json.get("after").get("1").decimalValue()).isEqualByComparingTo("90");
        assertThat(json.get("after").get("2").decimalValue()).isEqualByComparingTo("10");
        assertThat(json.get("outputs").get("canary-version").asText()).isEqualTo("2");
        assertThat(json.get("outputs").get("canary-percent").asText()).isEqualTo("10");
        assertThat(json.has("outcome")).isFalse();
        assertThat(r.err()).contains("before: live → version 1: 100 %");
        assertThat(r.out() + r.err()).doesNotContain(MotoServer.SECRET_KEY);
    }

    @Test
    void dryRunVerifiesAndShowsTheRoutingButChangesNothing() throws Exception {
        aws.createFunction("dry", oldZip);
        aws.createAlias("dry", "live", "1");
        aws.updateCode("dry", newZip, false); // new code in $LATEST, not yet published
        int versionsBefore =
                aws.lambda().listVersionsByFunction(b -> b.functionName("dry")).versions().size();

        var r = rollout("dry", newZip, "--percent", "10", "--dry-run");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("before: live → version 1: 100 %")
                .contains("after:  live → version 1: 90 %, version $LATEST: 10 %")
                .contains("dry run, nothing changed: would have sent 10 % of live");
        assertThat(r.err()).contains("would be published as a new version (not published)");
        assertThat(alias("dry", "live").functionVersion()).isEqualTo("1");
        assertThat(weights(alias("dry", "live"))).isEmpty();
        assertThat(aws.lambda().listVersionsByFunction(b -> b.functionName("dry")).versions())
                .hasSize(versionsBefore);

        var promote = rollout("dry", newZip, "--promote", "--dry-run");
        assertThat(promote.exitCode()).as(promote.toString()).isZero();
        assertThat(promote.out()).contains("would have promoted version $LATEST");
        assertThat(alias("dry", "live").functionVersion()).isEqualTo("1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> alias("dry", "live-previous"))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void rollbackDuringASplitSendsEverythingBackToStable() throws Exception {
        deployedTwice("split");
        assertThat(rollout("split", newZip, "--percent", "50").exitCode()).isZero();

        var rollback = rollout("split", newZip, "--rollback");

        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).contains("after:  live → version 1: 100 %");
        assertThat(alias("split", "live").functionVersion()).isEqualTo("1");
        assertThat(weights(alias("split", "live"))).isEmpty();
    }

    @Test
    void aFunctionThatFailsVerificationIsRefusedAndNothingChanges() throws Exception {
        deployedTwice("refused");

        var result = rollout("refused", oldZip, "--percent", "10");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(result.err())
                .contains("error: rollout refused, nothing changed: ")
                .contains(
                        "CodeSha256: expected "
                                + oldZip.codeSha256()
                                + ", actual "
                                + newZip.codeSha256());
        assertThat(result.err().lines().filter(l -> l.startsWith("error:")).count()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL").contains("CodeSha256");
        assertThat(alias("refused", "live").functionVersion()).isEqualTo("1");
        assertThat(weights(alias("refused", "live"))).isEmpty();
    }

    @Test
    void unpublishedNewCodeIsPublishedAsAVersionFirst() throws Exception {
        aws.createFunction("unpublished", oldZip);
        aws.createAlias("unpublished", "live", "1");
        aws.updateCode("unpublished", newZip, false);

        var result = rollout("unpublished", newZip, "--percent", "5");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(weights(alias("unpublished", "live"))).containsExactly(Map.entry("2", 0.05));
        FunctionConfiguration v2 =
                aws
                        .lambda()
                        .listVersionsByFunction(b -> b.functionName("unpublished"))
                        .versions()
                        .stream()
                        .filter(v -> v.version().equals("2"))
                        .findFirst()
                        .orElseThrow();
        assertThat(v2.codeSha256()).isEqualTo(newZip.codeSha256());
    }

    @Test
    void nothingNewToRollOutChangesNothing() throws Exception {
        aws.createFunction("unchanged", oldZip);
        aws.createAlias("unchanged", "live", "1");

        var result = rollout("unchanged", oldZip, "--percent", "10");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("nothing to roll out");
        assertThat(weights(alias("unchanged", "live"))).isEmpty();
    }

    @Test
    void anExplicitVersionIsVerifiedAndPromoted() throws Exception {
        deployedTwice("explicit");

        var wrong = rollout("explicit", newZip, "--promote", "--version", "1", "--no-invoke");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(wrong.err()).contains("explicit:1");

        var right = rollout("explicit", newZip, "--promote", "--version", "2");
        assertThat(right.exitCode()).as(right.toString()).isZero();
        assertThat(alias("explicit", "live").functionVersion()).isEqualTo("2");
    }

    @Test
    void theStepSummaryShowsBeforeAndAfterAndOutputsTheSplit() throws Exception {
        deployedTwice("summary");
        Path summary = Files.createTempFile(dir, "summary", ".md");
        Path outputs = Files.createTempFile(dir, "outputs", ".txt");
        moto.queueInvokeResults(List.of(OK));

        var result =
                CommandHarness.create()
                        .env("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY)
                        .env("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY)
                        .env("AWS_ENDPOINT_URL_LAMBDA", moto.endpoint().toString())
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .env("GITHUB_OUTPUT", outputs.toString())
                        .run(
                                "rollout",
                                "production",
                                "--function",
                                "summary",
                                "--artifact",
                                newZip.path().toString(),
                                "--percent",
                                "10");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.readString(summary))
                .contains("### Rollout of summary:live")
                .contains("| Version | Before | After |")
                .contains("| 1 | 100 % | 90 % |")
                .contains("| 2 | 0 % | 10 % |")
                .contains("Deployed function verification");
        assertThat(Files.readAllLines(outputs))
                .contains("stable-version=1", "canary-version=2", "canary-percent=10");
    }

    @Test
    void badInputIsAUsageErrorAndAMissingAliasIsNotFound() throws Exception {
        assertThat(rollout("x", newZip, "--percent", "0").exitCode())
                .isEqualTo(ExitCode.USAGE.code);
        assertThat(rollout("x", newZip, "--percent", "100").err()).contains("--promote");
        assertThat(rollout("x", newZip, "--percent", "10", "--promote").exitCode())
                .isEqualTo(ExitCode.USAGE.code);
        assertThat(rollout("x", newZip).exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(rollout("x", newZip, "--rollback", "--version", "3").exitCode())
                .isEqualTo(ExitCode.USAGE.code);
        var env = CommandHarness.create().run("rollout", "prod", "--rollback", "--function", "x");
        assertThat(env.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(env.err())
                .contains("unknown environment 'prod'")
                .contains("review, staging, production");

        aws.createFunction("no-alias", newZip);
        var missing = rollout("no-alias", newZip, "--rollback");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(missing.err()).contains("alias live of function no-alias does not exist");
    }

    @Test
    void helpWorksAndVersionMeansALambdaVersionHere() {
        var help = CommandHarness.create().run("rollout", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out())
                .contains("--percent=N")
                .contains("Send N % (1-99)")
                .contains("--version=V");
        assertThat(help.err()).doesNotContain("WARN");
    }
}
