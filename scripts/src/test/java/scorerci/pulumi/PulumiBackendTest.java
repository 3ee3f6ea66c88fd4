package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.stack.DeployEnvironment;

/** How the stack name follows the backend, and the plan options' well-formedness. */
class PulumiBackendTest {
    private static DeployRequest request(String stack) {
        return new DeployRequest(
                DeployEnvironment.STAGING,
                stack,
                "us-west-2",
                Path.of("/z.zip"),
                Path.of("/infra"),
                null,
                false,
                true,
                false);
    }

    @Test
    void pulumiCloudKeepsTheOrganizationSelfManagedBackendsUseOrganization() {
        assertThat(request(null).onBackend(PulumiBackend.of("https://api.pulumi.com")).stack())
                .isEqualTo("passportxyz/passport-scorer/staging");
        for (String url :
                new String[] {
                    "file:///var/pulumi",
                    "s3://bucket/state",
                    "azblob://c",
                    "gs://b",
                    "postgres://h/db"
                }) {
            PulumiBackend backend = PulumiBackend.of(url);
            assertThat(backend.selfManaged()).as(url).isTrue();
            assertThat(request(null).onBackend(backend).stack())
                    .isEqualTo("organization/passport-scorer/staging");
        }
        // a self-hosted Pulumi Cloud is a cloud: it has organizations
        assertThat(PulumiBackend.of("https://pulumi.example.com").selfManaged()).isFalse();
    }

    @Test
    void theBackendComesFromTheEnvironmentOrIsUnknownUntilWhoami() {
        assertThat(
                        PulumiBackend.fromEnvironment(Map.of("PULUMI_BACKEND_URL", "file://~"))
                                .selfManaged())
                .isTrue();
        assertThat(PulumiBackend.fromEnvironment(Map.of("PULUMI_ACCESS_TOKEN", "pul-x")).url())
                .isEqualTo(PulumiBackend.CLOUD_URL);
        assertThat(
                        PulumiBackend.fromEnvironment(
                                        Map.of(
                                                "PULUMI_ACCESS_TOKEN",
                                                "pul-x",
                                                "PULUMI_BACKEND_URL",
                                                "s3://b"))
                                .selfManaged())
                .isTrue();
        assertThat(PulumiBackend.fromEnvironment(Map.of())).isNull();
    }

    @Test
    void stackOptionWins() {
        PulumiBackend file = PulumiBackend.of("file:///state");
        assertThat(request("dev").onBackend(file).stack()).isEqualTo("dev");
        assertThat(request("organization/passport-scorer/dev").onBackend(file).stack())
                .isEqualTo("organization/passport-scorer/dev");
        assertThat(
                        request("passportxyz/passport-scorer/dev")
                                .onBackend(PulumiBackend.of(PulumiBackend.CLOUD_URL))
                                .stack())
                .isEqualTo("passportxyz/passport-scorer/dev");
        assertThatThrownBy(() -> request("passportxyz/passport-scorer/dev").onBackend(file))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("accepts only 'organization'")
                .hasMessageContaining("--stack organization/passport-scorer/dev")
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void planOptionsMustComeTogetherAndWellFormed() {
        Path plan = Path.of("/plan.json");
        String hex = "AB".repeat(32);
        DeployRequest ok =
                new DeployRequest(
                        DeployEnvironment.STAGING,
                        null,
                        "us-west-2",
                        Path.of("/z"),
                        Path.of("/i"),
                        null,
                        false,
                        true,
                        false,
                        null,
                        plan,
                        hex);
        assertThat(ok.planSha256()).isEqualTo("ab".repeat(32));
        assertUsage(
                () ->
                        new DeployRequest(
                                DeployEnvironment.STAGING,
                                null,
                                "us-west-2",
                                Path.of("/z"),
                                Path.of("/i"),
                                null,
                                false,
                                true,
                                false,
                                plan,
                                null,
                                null),
                "--save-plan needs --preview-only");
        assertUsage(
                () ->
                        new DeployRequest(
                                DeployEnvironment.STAGING,
                                null,
                                "us-west-2",
                                Path.of("/z"),
                                Path.of("/i"),
                                null,
                                false,
                                true,
                                false,
                                null,
                                plan,
                                null),
                "--plan needs --plan-sha256");
        assertUsage(
                () ->
                        new DeployRequest(
                                DeployEnvironment.STAGING,
                                null,
                                "us-west-2",
                                Path.of("/z"),
                                Path.of("/i"),
                                null,
                                false,
                                true,
                                false,
                                null,
                                null,
                                hex),
                "--plan-sha256 needs --plan");
        assertUsage(
                () ->
                        new DeployRequest(
                                DeployEnvironment.STAGING,
                                null,
                                "us-west-2",
                                Path.of("/z"),
                                Path.of("/i"),
                                null,
                                false,
                                true,
                                false,
                                null,
                                plan,
                                "abc"),
                "is not a SHA-256");
        assertUsage(
                () ->
                        new DeployRequest(
                                DeployEnvironment.STAGING,
                                null,
                                "us-west-2",
                                Path.of("/z"),
                                Path.of("/i"),
                                null,
                                true,
                                false,
                                false,
                                null,
                                plan,
                                hex),
                "cannot be combined with --preview-only");
    }

    private static void assertUsage(Runnable r, String message) {
        assertThatThrownBy(r::run)
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.USAGE);
    }
}
