package scorerci.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class LambdaClientsTest {
    @Test
    void theEndpointOptionWinsThenTheLambdaSpecificVariableThenTheGeneralOne() {
        Map<String, String> env =
                Map.of(
                        "AWS_ENDPOINT_URL",
                        "http://127.0.0.1:1111",
                        "AWS_ENDPOINT_URL_LAMBDA",
                        "http://127.0.0.1:2222");
        assertThat(LambdaClients.resolve(env, null, "http://127.0.0.1:3333").endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:3333"));
        assertThat(LambdaClients.resolve(env, null, null).endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:2222"));
        assertThat(
                        LambdaClients.resolve(
                                        Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1111"),
                                        null,
                                        null)
                                .endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:1111"));
        assertThat(LambdaClients.resolve(Map.of(), null, null).endpoint()).isNull();
        assertThat(
                        LambdaClients.resolve(
                                        Map.of(
                                                "AWS_ENDPOINT_URL",
                                                "http://127.0.0.1:1111",
                                                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                                "true"),
                                        null,
                                        null)
                                .endpoint())
                .isNull();
    }

    @Test
    void theRegionIsTheOptionElseTheStacksRegionNotTheShellDefault() {
        assertThat(
                        LambdaClients.resolve(Map.of("AWS_REGION", "eu-west-1"), null, null)
                                .region()
                                .id())
                .isEqualTo("us-west-2");
        assertThat(LambdaClients.resolve(Map.of(), "eu-central-1", null).region().id())
                .isEqualTo("eu-central-1");
    }

    @Test
    void credentialsComeFromTheInjectedEnvironmentElseTheDefaultChain() {
        var session =
                LambdaClients.resolve(
                                Map.of(
                                        "AWS_ACCESS_KEY_ID",
                                        "AKIA1",
                                        "AWS_SECRET_ACCESS_KEY",
                                        "s",
                                        "AWS_SESSION_TOKEN",
                                        "t"),
                                null,
                                null)
                        .credentials();
        assertThat(session).isInstanceOf(StaticCredentialsProvider.class);
        assertThat(session.resolveCredentials())
                .isInstanceOfSatisfying(
                        AwsSessionCredentials.class,
                        c -> assertThat(c.sessionToken()).isEqualTo("t"));
        assertThat(
                        LambdaClients.resolve(Map.of("AWS_ACCESS_KEY_ID", "AKIA1"), null, null)
                                .credentials())
                .isInstanceOf(DefaultCredentialsProvider.class);
    }

    @Test
    void anEndpointWithoutSchemeIsAUsageError() {
        assertThatThrownBy(
                        () ->
                                LambdaClients.resolve(
                                        Map.of("AWS_ENDPOINT_URL", "localhost:4566"), null, null))
                .isInstanceOfSatisfying(
                        PipelineException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("http://");
    }

    @Test
    void settingsDescriptionNeverShowsCredentials() {
        var settings =
                LambdaClients.resolve(
                        Map.of("AWS_ACCESS_KEY_ID", "AKIASECRETID", "AWS_SECRET_ACCESS_KEY", "shh"),
                        null,
                        "http://127.0.0.1:5000");
        assertThat(LambdaClients.describe(settings))
                .isEqualTo("us-west-2 via http://127.0.0.1:5000")
                .doesNotContain("AKIA")
                .doesNotContain("shh");
    }
}
