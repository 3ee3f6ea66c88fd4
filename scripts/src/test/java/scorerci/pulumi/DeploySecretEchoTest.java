package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.fakes.FakePulumi;

/**
 * Issue 10: a Pulumi error line that echoes the AWS secret key and the Pulumi token reached
 * deploy's own error line, the ::error:: annotation and the step summary in clear. Every sink now
 * redacts by value (scorerci.core.SecretRegistry).
 */
class DeploySecretEchoTest {
    @TempDir Path tmp;
    DeployFixture fx;
    FakePulumi pulumi;

    @BeforeEach
    void setUp() throws Exception {
        fx = new DeployFixture(tmp);
        pulumi = fx.pulumi;
    }

    @Test
    void secretsEchoedByPulumiAreRedactedInEverySink() throws Exception {
        pulumi.failOn(
                "preview",
                "provider rejected credentials "
                        + DeployFixture.AWS_SECRET
                        + " (token "
                        + DeployFixture.TOKEN
                        + ")");
        Path summary = tmp.resolve("summary.md");
        var result =
                fx.harness()
                        .env("GITHUB_ACTIONS", "true")
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .run("deploy", "staging", "--yes");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        String printed =
                result.out()
                                .lines()
                                .filter(l -> !l.startsWith("::add-mask::"))
                                .reduce("", (a, b) -> a + b + "\n")
                        + result.err();
        assertThat(printed)
                .contains("provider rejected credentials ***", "::error::")
                .doesNotContain(DeployFixture.AWS_SECRET, DeployFixture.TOKEN);
        assertThat(Files.readString(summary))
                .doesNotContain(DeployFixture.AWS_SECRET, DeployFixture.TOKEN);
    }
}
