package scorerci.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.testing.HostilePeer;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The AWS side of the deadline model: an endpoint that accepts connections and never answers fails
 * the API call at its call timeout (here shrunk to 1.5 s), as REMOTE, instead of waiting out socket
 * timeouts attempt after attempt (287 s with the SDK's defaults before).
 */
class AwsDeadlineTest {
    @Test
    void aSilentEndpointFailsAtTheCallTimeout() {
        try (HostilePeer peer = HostilePeer.start().route("/", HostilePeer.silence())) {
            Map<String, String> env =
                    Map.of(
                            "AWS_ACCESS_KEY_ID",
                            "AKIAEXAMPLEEXAMPLE",
                            "AWS_SECRET_ACCESS_KEY",
                            "not-a-real-secret",
                            "SCORER_AWS_ATTEMPT_TIMEOUT_MS",
                            "700",
                            "SCORER_AWS_CALL_TIMEOUT_MS",
                            "1500");
            try (LambdaClient lambda =
                    LambdaClients.create(env, "us-west-2", peer.uri().toString())) {
                assertTimeoutPreemptively(
                        Duration.ofSeconds(20),
                        () ->
                                assertThatThrownBy(
                                                () ->
                                                        LambdaCalls.call(
                                                                "reading function f",
                                                                () ->
                                                                        lambda.getFunction(
                                                                                b ->
                                                                                        b
                                                                                                .functionName(
                                                                                                        "f"))))
                                        .isInstanceOfSatisfying(
                                                PipelineException.class,
                                                e ->
                                                        assertThat(e.exitCode())
                                                                .isEqualTo(ExitCode.REMOTE))
                                        .hasMessageContaining("cannot reach Lambda"));
            }
        }
    }

    @Test
    void theDefaultsFailADeadPeerWithinAboutAMinute() {
        LambdaClients.Timeouts t = LambdaClients.Timeouts.fromEnv(Map.of());
        assertThat(t.call()).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(t.attempt()).isLessThanOrEqualTo(t.call());
        assertThatThrownBy(
                        () ->
                                LambdaClients.Timeouts.fromEnv(
                                        Map.of("SCORER_AWS_CALL_TIMEOUT_MS", "soon")))
                .isInstanceOfSatisfying(
                        PipelineException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }
}
