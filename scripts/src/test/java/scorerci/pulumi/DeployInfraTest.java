package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.fakes.FakeNpm;
import scorerci.process.ExternalProcess;
import scorerci.testing.RequiredTools;

/**
 * The dependency step: npm ci in infra/ only when node_modules is missing or older than the
 * lockfile.
 */
class DeployInfraTest {
    @TempDir Path tmp;
    DeployFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new DeployFixture(tmp);
    }

    @Test
    void missingNodeModulesAreInstalledWithNpmCiBeforePulumiRuns() {
        DeployFixture.deleteTree(fx.infra.resolve("node_modules"));
        FakeNpm npm = FakeNpm.install(tmp, false);
        var result =
                fx.harness()
                        .env("PATH", npm.binDir() + ":" + fx.pulumi.path(System.getenv("PATH")))
                        .run("deploy", "staging", "--preview-only");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(npm.calls()).containsExactly(fx.infra + "|ci --no-audit --no-fund");
        assertThat(fx.infra.resolve("node_modules/.package-lock.json")).exists();
        assertThat(result.err()).contains("added 223 packages");
        assertThat(fx.pulumi.commands()).hasSize(4); // select, config set, config --json, preview
    }

    @Test
    void aLockfileNewerThanNodeModulesReinstallsAndACurrentOneDoesNot() throws Exception {
        FakeNpm npm = FakeNpm.install(tmp, false);
        var fresh =
                fx.harness()
                        .env("PATH", npm.binDir() + ":" + fx.pulumi.path(System.getenv("PATH")))
                        .run("deploy", "staging", "--preview-only");
        assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
        assertThat(npm.calls()).isEmpty();

        Files.setLastModifiedTime(
                fx.infra.resolve("package-lock.json"), FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(InfraDependencies.staleReason(fx.infra))
                .isEqualTo("package-lock.json is newer than node_modules");
        var stale =
                fx.harness()
                        .env("PATH", npm.binDir() + ":" + fx.pulumi.path(System.getenv("PATH")))
                        .run("deploy", "staging", "--preview-only");
        assertThat(stale.exitCode()).as(stale.toString()).isZero();
        assertThat(npm.calls()).hasSize(1);
    }

    @Test
    void aFailingNpmIsToolFailedAndPulumiDoesNotRun() {
        DeployFixture.deleteTree(fx.infra.resolve("node_modules"));
        FakeNpm npm = FakeNpm.install(tmp, true);
        var result =
                fx.harness()
                        .env("PATH", npm.binDir() + ":" + fx.pulumi.path(System.getenv("PATH")))
                        .run("deploy", "staging", "--preview-only");
        assertThat(result.exitCode()).isEqualTo(ExitCode.TOOL_FAILED.code);
        assertThat(result.err())
                .contains(
                        "error: npm ci in "
                                + fx.infra
                                + " failed (exit 1): npm error The npm ci command");
        assertThat(fx.pulumi.commands()).isEmpty();
    }

    @Test
    void noNpmWhenAnInstallIsNeededIsAPrerequisite() {
        DeployFixture.deleteTree(fx.infra.resolve("node_modules"));
        var result =
                fx.harness()
                        .env("PATH", fx.pulumi.binDir().toString())
                        .run("deploy", "staging", "--preview-only");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(result.err()).contains("npm is not on PATH").contains("node_modules is missing");
    }

    /**
     * The real npm, offline: a package with a local file: dependency installs without any registry.
     */
    @Test
    void realNpmCiRunsAndItsInstallIsRecognisedAsCurrent() throws Exception {
        Path npm = ExternalProcess.locate("npm", System.getenv());
        if (npm == null)
            RequiredTools.missing("npm is not on PATH: install Node.js 20+ (see README Setup)");
        Path dep = Files.createDirectories(fx.infra.resolve("local-dep"));
        Files.writeString(
                dep.resolve("package.json"), "{\"name\":\"local-dep\",\"version\":\"1.0.0\"}\n");
        Files.writeString(
                fx.infra.resolve("package.json"),
                "{\"name\":\"infra\",\"version\":\"1.0.0\",\"private\":true,\"dependencies\":{\"local-dep\":\"file:./local-dep\"}}\n");
        Files.delete(fx.infra.resolve("package-lock.json"));
        var lock =
                ExternalProcess.of(
                                npm.toString(),
                                "install",
                                "--offline",
                                "--no-audit",
                                "--no-fund",
                                "--package-lock-only")
                        .in(fx.infra)
                        .run();
        assertThat(lock.ok()).as(lock.output()).isTrue();
        DeployFixture.deleteTree(fx.infra.resolve("node_modules"));

        var result =
                fx.harness()
                        .env("npm_config_offline", "true")
                        .run("deploy", "staging", "--preview-only");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(fx.infra.resolve("node_modules/.package-lock.json")).exists();
        assertThat(fx.infra.resolve("node_modules/local-dep")).exists();
        assertThat(InfraDependencies.staleReason(fx.infra)).isNull();
    }
}
