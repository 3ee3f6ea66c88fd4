package scorerci.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scorerci.core.Log;
import scorerci.fakes.FakeLambdaApi;
import scorerci.zip.VerifiedZip;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The two paths moto cannot stage (see FakeLambdaApi): an Invoke that crashes with a log tail, and
 * a function that stays Pending, which the bounded waiters must give up on.
 */
class InvokeAndWaitTest {
    static final String SHA = "p8jH2Qm0nA9r3m0z8m2QkVdN6b1eYQ2lR3o0aS5h6sU=";
    static final VerifiedZip ZIP =
            new VerifiedZip(
                    Path.of("bootstrap.zip"),
                    1000,
                    3000,
                    "a7c8c7d9",
                    SHA,
                    "aarch64",
                    "2.34",
                    List.of("bootstrap", "collector.yaml"));

    FakeLambdaApi api;
    LambdaClient lambda;
    StringWriter err = new StringWriter();
    Log log =
            new Log(
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(err, true),
                    Log.Level.NORMAL);

    @BeforeEach
    void start() throws Exception {
        api = new FakeLambdaApi();
        lambda =
                LambdaClients.create(
                        new LambdaClients.Settings(
                                Region.US_WEST_2,
                                api.endpoint(),
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create("AKIATEST", "secret"))));
    }

    @AfterEach
    void stop() {
        lambda.close();
        api.close();
    }

    @Test
    void aCrashingInvokeFailsWithTheFunctionErrorAndTheDecodedLogTail() throws Exception {
        api.putFunction("scorer", FakeLambdaApi.scorerConfiguration("scorer", SHA));
        api.invokeAnswer(
                new FakeLambdaApi.InvokeAnswer(
                        "Unhandled",
                        "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: 1 Error: Runtime exited with error: exit status 1\"}",
                        "START RequestId: 1 Version: $LATEST\n/var/task/bootstrap: /lib64/libc.so.6: version `GLIBC_2.38' not found\n"
                                + "END RequestId: 1\nREPORT RequestId: 1 Duration: 2.1 ms\n"));

        assertThatThrownBy(() -> new DeploymentVerifier(lambda, log).verify("scorer", ZIP))
                .isInstanceOfSatisfying(
                        FunctionVerificationException.class,
                        e -> {
                            assertThat(e.report().failures())
                                    .extracting(Check::name)
                                    .containsExactly(SmokeInvocation.CHECK_NAME);
                            assertThat(e.getMessage())
                                    .contains("FunctionError Unhandled")
                                    .contains("Runtime.ExitError")
                                    .contains("GLIBC_2.38' not found")
                                    .contains("REPORT RequestId: 1")
                                    .doesNotContain("\n");
                        });
        assertThat(err.toString())
                .contains("log tail of the smoke invoke")
                .contains("GLIBC_2.38' not found");

        FakeLambdaApi.Request invoke =
                api.requests().stream()
                        .filter(r -> r.path().endsWith("/invocations"))
                        .findFirst()
                        .orElseThrow();
        assertThat(invoke.headers().get("X-amz-log-type")).containsExactly("Tail");
        JsonNode event = new ObjectMapper().readTree(invoke.body());
        assertThat(event.path("httpMethod").asText()).isEqualTo("GET");
        assertThat(event.path("path").asText()).isEqualTo("/health");
        assertThat(event.path("requestContext").path("elb").path("targetGroupArn").asText())
                .startsWith("arn:aws:elasticloadbalancing:");
    }

    @Test
    void aHealthyInvokeNeedsTheScorersOwn200() {
        api.putFunction("scorer", FakeLambdaApi.scorerConfiguration("scorer", SHA));
        api.invokeAnswer(
                new FakeLambdaApi.InvokeAnswer(
                        null, "{\"statusCode\":200,\"body\":\"OK\"}", "START\nEND\n"));
        assertThat(new DeploymentVerifier(lambda, log).verify("scorer", ZIP).ok()).isTrue();

        api.invokeAnswer(new FakeLambdaApi.InvokeAnswer(null, "not json at all", ""));
        assertThatThrownBy(() -> new DeploymentVerifier(lambda, log).verify("scorer", ZIP))
                .hasMessageContaining("response without statusCode")
                .hasMessageContaining("not json at all");
    }

    @Test
    void aFunctionStuckInPendingFailsAfterTheBoundedWaitWithoutInvoking() {
        var config = FakeLambdaApi.scorerConfiguration("scorer", SHA);
        config.put("StateReasonCode", "Creating");
        config.put("StateReason", "The function is being created.");
        api.putFunction("scorer", config);
        api.stateSequence("scorer", read -> "Pending");

        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                new DeploymentVerifier(lambda, log)
                                        .waitAtMost(Duration.ofMillis(400), Duration.ofMillis(50))
                                        .verify("scorer", ZIP))
                .isInstanceOfSatisfying(
                        FunctionVerificationException.class,
                        e -> {
                            assertThat(e.report().failures())
                                    .extracting(Check::name)
                                    .containsExactly("state", SmokeInvocation.CHECK_NAME);
                            assertThat(e.getMessage())
                                    .contains(
                                            "state: expected Active, actual Pending (Creating: The function is being created.)");
                        });
        // bounded: it gave up (a generous ceiling, not a timing assertion) and polled more than
        // once
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        long polls =
                api.requests().stream()
                        .filter(r -> r.path().equals("/2015-03-31/functions/scorer"))
                        .count();
        assertThat(polls).isGreaterThan(1);
        assertThat(api.requests()).noneMatch(r -> r.path().endsWith("/invocations"));
    }

    @Test
    void aFunctionThatBecomesActiveWhileWaitingPasses() {
        api.putFunction("scorer", FakeLambdaApi.scorerConfiguration("scorer", SHA));
        api.stateSequence("scorer", read -> read < 3 ? "Pending" : "Active");

        VerificationReport report =
                new DeploymentVerifier(lambda, log)
                        .invoke(false)
                        .waitAtMost(Duration.ofSeconds(20), Duration.ofMillis(20))
                        .verify("scorer", ZIP);

        assertThat(report.check("state").actual()).isEqualTo("Active");
        assertThat(err.toString()).contains("waiting up to 20 s");
    }
}
