package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.process.ExternalProcess;

/** Black box: `./jbang deploy@. ...` as a user runs it, with the fake pulumi first on PATH. */
@Tag("slow") // JBang compiles scripts/Pipeline.java for it: not in scripts/run-tests.sh --fast
class DeployJBangTest {
    @TempDir Path tmp;

    private ExternalProcess.Result jbang(DeployFixture fx, String... args) {
        java.util.List<String> command =
                new java.util.ArrayList<>(java.util.List.of("./jbang", "deploy@."));
        command.addAll(java.util.List.of(args));
        return ExternalProcess.of(command)
                .in(Path.of("").toAbsolutePath())
                .env("PATH", fx.pulumi.path(System.getenv("PATH")))
                .env("PULUMI_ACCESS_TOKEN", DeployFixture.TOKEN)
                .env("AWS_ACCESS_KEY_ID", DeployFixture.AWS_KEY_ID)
                .env("AWS_SECRET_ACCESS_KEY", DeployFixture.AWS_SECRET)
                .env("JBANG_NO_VERSION_CHECK", "true")
                // this test's own compiled-jar cache, inside Maven's target/ (build output): a
                // JBang cache shared with other
                // concurrent builds of the same sources can be rebuilt underneath a run
                .env(
                        "JBANG_CACHE_DIR",
                        Path.of("target/jbang-cache/deploy").toAbsolutePath().toString())
                .unsetEnv("GITHUB_ACTIONS")
                .unsetEnv("GITHUB_STEP_SUMMARY")
                .unsetEnv("GITHUB_OUTPUT")
                .timeout(Duration.ofMinutes(5))
                .run();
    }

    @Test
    void previewOnlyThroughTheCatalogAlias() throws Exception {
        DeployFixture fx = new DeployFixture(tmp);
        var result =
                jbang(
                        fx,
                        "staging",
                        "--preview-only",
                        "--infra",
                        fx.infra.toString(),
                        "--artifact",
                        fx.zip.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains(
                        "preview   passportxyz/passport-scorer/staging: 12 to create, 0 to update");
        assertThat(fx.pulumi.commands())
                .hasSize(4)
                .last()
                .asString()
                .startsWith("preview --diff --json");

        var unknown = jbang(fx, "qa", "--preview-only", "--infra", fx.infra.toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(unknown.output())
                .contains(
                        "error: unknown environment 'qa': use one of review, staging, production");
    }
}
