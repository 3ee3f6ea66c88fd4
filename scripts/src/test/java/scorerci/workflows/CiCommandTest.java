package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;
import scorerci.testing.CommandHarness.Result;

/** `ci` through the command line with real in-process commands, on scratch repositories. */
class CiCommandTest {
    @TempDir Path repo;

    private Path testScript(String body) throws IOException {
        Path script = repo.resolve("scripts/run-tests.sh");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void aFailingTestSuiteStopsTheRunBeforeTheBuild() throws IOException {
        testScript("echo 'suite: 1 failure'; exit 3");
        Result r = CommandHarness.create().workDir(repo).run("ci", "--tag", "t1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.TOOL_FAILED.code);
        assertThat(r.out())
                .contains(
                        "==> [1/5] test suite: scripts/run-tests.sh",
                        "suite: 1 failure",
                        "<== test suite: FAILED with exit 5",
                        "ci review: stopped at 'test suite' (exit 5)",
                        "build-zip          not run");
        assertThat(r.err()).contains("scripts/run-tests.sh exited 3");
        assertThat(repo.resolve("rust-scorer-artifact")).doesNotExist();
    }

    @Test
    void theFirstFailingCommandsExitCodeIsCisExitCode() throws IOException {
        // tests pass; build-zip (the real command, in-process) finds no crate in this scratch
        // repository
        testScript("echo suite ok");
        Result r = CommandHarness.create().workDir(repo).run("ci", "staging", "--tag", "t2");
        assertThat(r.out())
                .contains(
                        "<== test suite: ok in",
                        "==> [2/5] build-zip: build-zip --tag t2",
                        "upload-artifact    not run");
        assertThat(r.exitCode()).as(r.toString()).isNotZero().isNotEqualTo(ExitCode.INTERNAL.code);
        assertThat(r.out())
                .contains("ci staging: stopped at 'build-zip' (exit " + r.exitCode() + ")");
    }

    @Test
    void hidesTheRuntimeTokenFromTheStagesSoArtifactsStayLocal() throws IOException {
        testScript(
                "if [ -n \"$ACTIONS_RUNTIME_TOKEN$GITHUB_ACTIONS\" ]; then echo leaked; exit 1; fi; echo clean");
        Result r =
                CommandHarness.create()
                        .workDir(repo)
                        .env("ACTIONS_RUNTIME_TOKEN", "secret-token")
                        .env("GITHUB_ACTIONS", "true")
                        .run("ci", "--tag", "t3");
        assertThat(r.out())
                .contains("clean")
                .doesNotContain("leaked")
                .doesNotContain("secret-token");
    }

    @Test
    void untilEndsTheRunGreenAfterTheNamedStage() throws IOException {
        testScript("echo suite ok");
        Result r =
                CommandHarness.create().workDir(repo).run("ci", "--tag", "t4", "--until", "tests");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains(
                        "==> [1/1] test suite",
                        "ci review: all stages passed",
                        "stopped after 'tests' as asked")
                .doesNotContain("build-zip");
    }

    @Test
    void untilNamesTheStagesWhenItIsNotOne() {
        Result r =
                CommandHarness.create().workDir(repo).run("ci", "--tag", "t5", "--until", "deploy");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err())
                .contains(
                        "use one of tests, build-zip, upload-artifact, download-artifact, preview")
                .contains("only with --deploy");
    }

    @Test
    void shortYesIsAcceptedLikeDeploys() {
        Result r = CommandHarness.create().workDir(repo).run("ci", "--tag", "t6", "-y");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("--yes only makes sense with --deploy");
    }

    @Test
    void badInputIsAUsageError() {
        Result env = CommandHarness.create().workDir(repo).run("ci", "qa");
        assertThat(env.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(env.err())
                .contains("unknown environment 'qa': use one of review, staging, production");
        Result yes = CommandHarness.create().workDir(repo).run("ci", "--yes", "--tag", "x");
        assertThat(yes.err()).contains("--yes only makes sense with --deploy");
        Result noGit = CommandHarness.create().workDir(repo).run("ci", "--skip-tests");
        // the one default policy of --tag (BuildTagOption): no commit to name is a prerequisite
        assertThat(noGit.exitCode()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(noGit.err()).contains("pass --tag TAG");
        Result tag = CommandHarness.create().workDir(repo).run("ci", "--tag", "a/b");
        assertThat(tag.exitCode()).isEqualTo(ExitCode.USAGE.code);
    }

    @Test
    void aMissingTestScriptIsNotFoundLikeEveryMissingFile() {
        Result r = CommandHarness.create().workDir(repo).run("ci", "--tag", "t4");
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(r.err()).contains("scripts/run-tests.sh not found or not executable");
    }

    @Test
    void formatJsonPrintsOneRecordWithEachStagesOutcome() throws Exception {
        testScript("echo suite ok");
        Result r =
                CommandHarness.create()
                        .workDir(repo)
                        .run("ci", "--tag", "t7", "--until", "tests", "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out()); // nothing else on stdout
        assertThat(json.get("environment").asText()).isEqualTo("review");
        assertThat(json.get("tag").asText()).isEqualTo("t7");
        assertThat(json.get("exitCode").asInt()).isZero();
        assertThat(json.has("run")).isFalse();
        JsonNode stage = json.get("stages").get(0);
        assertThat(stage.get("key").asText()).isEqualTo("tests");
        assertThat(stage.get("outcome").asText()).isEqualTo("ok");
        assertThat(stage.get("commandLine").asText()).isEqualTo("scripts/run-tests.sh");
        assertThat(json.get("stages")).hasSize(1);
        assertThat(r.err()).contains("==> [1/1] test suite", "suite ok");
    }

    @Test
    void formatJsonCarriesTheFailureRedacted() throws Exception {
        // build-zip fails on this scratch repository (no crate); its message names the crate
        // path, which here contains a secret value: the JSON must not
        String secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY";
        Path inside = Files.createDirectories(repo.resolve(secret));
        Files.writeString(inside.resolve("jbang-catalog.json"), "{}");
        Path script = inside.resolve("scripts/run-tests.sh");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\necho suite ok\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r =
                CommandHarness.create()
                        .workDir(inside)
                        .env("AWS_SECRET_ACCESS_KEY", secret)
                        .run("ci", "--tag", "t8", "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.out() + r.err()).doesNotContain(secret);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("exitCode").asInt()).isEqualTo(r.exitCode());
        JsonNode build = json.get("stages").get(1);
        assertThat(build.get("key").asText()).isEqualTo("build-zip");
        assertThat(build.get("outcome").asText()).isEqualTo("failed");
        assertThat(build.get("exitCode").asInt()).isEqualTo(r.exitCode());
        assertThat(build.get("error").asText()).isNotBlank().contains("***");
        assertThat(json.get("stages").get(2).get("outcome").asText()).isEqualTo("not_run");
    }

    @Test
    void theDefaultTagOutsideGitIsGithubShasShortForm() throws IOException {
        testScript("echo suite ok");
        Result r =
                CommandHarness.create()
                        .workDir(repo)
                        .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
                        .run("ci", "--until", "tests");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ci review: tag 0123456, in");
    }
}
