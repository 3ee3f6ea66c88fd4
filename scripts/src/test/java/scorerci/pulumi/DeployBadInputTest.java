package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.elf.ElfFixtures;
import scorerci.testing.CommandHarness;
import scorerci.zip.LambdaZipWriter;
import scorerci.zip.ZipInput;

/**
 * Every bad input is one "error: ..." line naming the fix, with its exit code, and is found before
 * pulumi is asked to do anything (the fake's log stays empty).
 */
class DeployBadInputTest {
    @TempDir Path tmp;
    DeployFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new DeployFixture(tmp);
        fx.lambdaCheck = (function, zip, region, env, log) -> "ok";
    }

    private void assertRefused(CommandHarness.Result result, ExitCode code, String... fragments) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(code.code);
        List<String> errors = result.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertThat(errors).as(result.toString()).hasSize(1);
        assertThat(errors.get(0)).contains(fragments);
        assertThat(fx.pulumi.commands()).as("pulumi must not have been run").isEmpty();
    }

    @Test
    void unknownEnvironment() {
        assertRefused(
                fx.harness().run("deploy", "prod", "--yes"),
                ExitCode.USAGE,
                "unknown environment 'prod': use one of review, staging, production");
    }

    @Test
    void missingEnvironmentIsAUsageError() {
        var result = fx.harness().run("deploy");
        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(result.err()).contains("ENVIRONMENT");
        assertThat(fx.pulumi.commands()).isEmpty();
    }

    @Test
    void badRegionStackOrTag() {
        assertRefused(
                fx.harness().run("deploy", "staging", "--region", "Oregon"),
                ExitCode.USAGE,
                "--region 'Oregon' is not an AWS region: write it like us-west-2");
        assertRefused(
                fx.harness().run("deploy", "staging", "--stack", "a/b/c/d"),
                ExitCode.USAGE,
                "--stack 'a/b/c/d' is not a stack name");
        assertRefused(
                fx.harness().run("deploy", "staging", "--tag", "../x"),
                ExitCode.USAGE,
                "--tag '../x'");
    }

    @Test
    void noPulumiOnPath() {
        var result =
                fx.harness()
                        .env("PATH", "/usr/bin:/bin")
                        .run("deploy", "staging", "--preview-only");
        assertRefused(
                result,
                ExitCode.PREREQUISITE,
                "pulumi is not on PATH: install the Pulumi CLI",
                "get.pulumi.com",
                "pulumi/actions");
    }

    @Test
    void noPulumiCredentials() {
        var result =
                CommandHarness.create()
                        .workDir(fx.root)
                        .env("PATH", fx.pulumi.path(System.getenv("PATH")))
                        .env("HOME", fx.root.resolve("home").toString())
                        .env("AWS_ACCESS_KEY_ID", DeployFixture.AWS_KEY_ID)
                        .env("AWS_SECRET_ACCESS_KEY", DeployFixture.AWS_SECRET)
                        .run("deploy", "staging", "--yes");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(result.err())
                .contains("error: not logged in to Pulumi: set PULUMI_ACCESS_TOKEN")
                .contains("run `pulumi login`")
                .contains(
                        "PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
        assertThat(fx.pulumi.commands())
                .as("only the read-only whoami ran")
                .containsExactly("whoami --json --non-interactive");
    }

    @Test
    void noAwsCredentials() {
        var result =
                CommandHarness.create()
                        .workDir(fx.root)
                        .env("PATH", fx.pulumi.path(System.getenv("PATH")))
                        .env("HOME", fx.root.resolve("home").toString())
                        .env("PULUMI_ACCESS_TOKEN", DeployFixture.TOKEN)
                        .run("deploy", "staging", "--yes");
        assertRefused(
                result,
                ExitCode.PREREQUISITE,
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                "AWS_PROFILE",
                "AWS_WEB_IDENTITY_TOKEN_FILE");
    }

    @Test
    void halfAnAwsKeyPair() {
        var result =
                CommandHarness.create()
                        .workDir(fx.root)
                        .env("PATH", fx.pulumi.path(System.getenv("PATH")))
                        .env("HOME", fx.root.resolve("home").toString())
                        .env("PULUMI_ACCESS_TOKEN", DeployFixture.TOKEN)
                        .env("AWS_ACCESS_KEY_ID", DeployFixture.AWS_KEY_ID)
                        .run("deploy", "staging", "--yes");
        assertRefused(
                result,
                ExitCode.PREREQUISITE,
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
        assertThat(result.err()).doesNotContain(DeployFixture.AWS_KEY_ID);
    }

    @Test
    void aDefaultProfileInHomeCountsAsCredentials() throws Exception {
        Path credentials = fx.root.resolve("home/.aws/credentials");
        Files.createDirectories(credentials.getParent());
        Files.writeString(
                credentials, "[default]\naws_access_key_id = x\naws_secret_access_key = y\n");
        var result =
                CommandHarness.create()
                        .workDir(fx.root)
                        .env("PATH", fx.pulumi.path(System.getenv("PATH")))
                        .env("HOME", fx.root.resolve("home").toString())
                        .env("PULUMI_ACCESS_TOKEN", DeployFixture.TOKEN)
                        .run("deploy", "staging", "--preview-only");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("AWS default profile in " + credentials);
    }

    @Test
    void missingZipSaysHowToGetIt() throws Exception {
        Files.delete(fx.zip);
        assertRefused(
                fx.harness().run("deploy", "staging", "--yes"),
                ExitCode.NOT_FOUND,
                fx.zip + " not found",
                "--tag",
                "jbang download-artifact@. --tag <short sha> --dest " + fx.zip.getParent(),
                "jbang build-zip@.");
    }

    @Test
    void zipWithoutTheCollectorConfigIsInvalid() throws Exception {
        Path weights = Files.writeString(tmp.resolve("weights.json"), "{}");
        LambdaZipWriter.withDosEpoch()
                .write(
                        fx.zip,
                        DeployFixture.bootstrap(),
                        List.of(new ZipInput("weights.json", weights)));
        assertRefused(
                fx.harness().run("deploy", "staging", "--yes"),
                ExitCode.VERIFICATION,
                "collector.yaml");
    }

    @Test
    void zipWithAnX8664BootstrapIsInvalid() throws Exception {
        Path x86 =
                ElfFixtures.x86_64(
                        Files.createDirectories(tmp.resolve("x86")),
                        "bootstrap",
                        ElfFixtures.HELLO);
        Path collector = Files.writeString(tmp.resolve("collector.yaml"), "receivers: {}\n");
        Path weights = Files.writeString(tmp.resolve("weights.json"), "{}");
        LambdaZipWriter.withDosEpoch()
                .write(
                        fx.zip,
                        x86,
                        List.of(
                                new ZipInput("collector.yaml", collector),
                                new ZipInput("weights.json", weights)));
        var result = fx.harness().run("deploy", "staging", "--yes");
        assertRefused(result, ExitCode.VERIFICATION, "bootstrap");
    }

    @Test
    void notAZipAtAll() throws Exception {
        Files.writeString(fx.zip, "<html>404</html>");
        assertRefused(
                fx.harness().run("deploy", "staging", "--preview-only"),
                ExitCode.VERIFICATION,
                "is not a readable zip");
    }

    @Test
    void aSelfManagedBackendWithoutPassphraseStopsBeforeNpmAndPulumi() throws Exception {
        DeployFixture.deleteTree(fx.infra.resolve("node_modules")); // npm ci would be next
        FakeNpmProbe npm = FakeNpmProbe.install(tmp);
        assertRefused(
                fx.harness()
                        .env("PATH", npm.dir() + ":" + fx.pulumi.path(System.getenv("PATH")))
                        .env("PULUMI_BACKEND_URL", "file://" + tmp.resolve("state"))
                        .run("deploy", "staging", "--yes"),
                ExitCode.PREREQUISITE,
                "organization/passport-scorer/staging",
                "PULUMI_CONFIG_PASSPHRASE",
                "nothing was changed");
        assertThat(npm.ran()).as("npm ci must not have run").isFalse();

        Path missing = tmp.resolve("no-such-passphrase-file");
        assertRefused(
                fx.harness()
                        .env("PULUMI_BACKEND_URL", "s3://bucket/state")
                        .env("PULUMI_CONFIG_PASSPHRASE_FILE", missing.toString())
                        .run("deploy", "staging", "--yes"),
                ExitCode.PREREQUISITE,
                "PULUMI_CONFIG_PASSPHRASE_FILE names " + missing);
    }

    /** An npm on PATH that only notes that it was called. */
    private record FakeNpmProbe(Path dir) {
        static FakeNpmProbe install(Path tmp) throws Exception {
            Path dir = Files.createDirectories(tmp.resolve("npm-probe"));
            Path npm = dir.resolve("npm");
            Files.writeString(npm, "#!/bin/sh\ntouch '" + dir.resolve("ran") + "'\nexit 1\n");
            npm.toFile().setExecutable(true);
            return new FakeNpmProbe(dir);
        }

        boolean ran() {
            return Files.exists(dir.resolve("ran"));
        }
    }

    @Test
    void infraDirectoryWithoutTheProject() throws Exception {
        assertRefused(
                fx.harness().run("deploy", "staging", "--infra", "elsewhere"),
                ExitCode.NOT_FOUND,
                "Pulumi.yaml not found",
                "--infra must name");
        // a Node.js program (infra/aws is one) needs infra/package.json
        Files.delete(fx.infra.resolve("package.json"));
        assertRefused(
                fx.harness().run("deploy", "staging"),
                ExitCode.NOT_FOUND,
                "package.json not found",
                "--infra DIR");
        Files.delete(fx.project.resolve("Pulumi.yaml"));
        assertRefused(
                fx.harness().run("deploy", "staging"), ExitCode.NOT_FOUND, "Pulumi.yaml not found");
    }

    @Test
    void tagWithoutAnArtifactAnywhereFailsWithTheDownloadersErrorAndDeploysNothing()
            throws Exception {
        Files.delete(fx.zip);
        var result =
                fx.harness()
                        .env("SCORER_ARTIFACT_STORE", tmp.resolve("empty-store").toString())
                        .run("deploy", "staging", "--yes", "--tag", "abc1234");
        // the download stage's own error, in deploy's one error line, with its exit code
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(result.err())
                .contains(
                        "error: could not download the artifact for --tag abc1234: artifact "
                                + "'rust-scorer-abc1234.zip' not found in local store")
                .contains("; nothing was deployed");
        assertThat(result.err().lines().filter(l -> l.startsWith("error: ")).count()).isEqualTo(1);
        assertThat(fx.pulumi.commands()).isEmpty();
        assertThat(fx.zip).doesNotExist();
    }
}
