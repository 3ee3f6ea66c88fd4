package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.artifacts.ArtifactFixtures.inJob;
import static scorerci.artifacts.ArtifactFixtures.value;
import static scorerci.artifacts.ArtifactFixtures.visible;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.fakes.ArtifactService;
import scorerci.testing.CommandHarness;

/** download-artifact --run-id/--repo: another run through the REST API with GITHUB_TOKEN. */
class RestDownloadTest {
    private final ArtifactService service = ArtifactService.start();
    private final ArtifactService.Run buildRun = service.newRun("acme/scorer", 9001);
    private final ArtifactService.Job buildJob = service.newJob(buildRun);
    @TempDir Path work;

    @AfterEach
    void stop() {
        service.close();
    }

    /** A run step of a later workflow: GITHUB_TOKEN and the API URL, no runtime token. */
    private CommandHarness laterWorkflow() {
        return ArtifactFixtures.fast(
                CommandHarness.create()
                        .workDir(work)
                        .env("GITHUB_ACTIONS", "true")
                        .env("GITHUB_API_URL", service.apiUrl())
                        .env("GITHUB_REPOSITORY", "acme/scorer")
                        .env("GITHUB_RUN_ID", "9999")
                        .env("GITHUB_TOKEN", service.rest().token()));
    }

    private void uploadLambdaZip(String tag) {
        CommandHarness.Result up =
                inJob(service, buildJob, work)
                        .run(
                                "upload-artifact",
                                "--tag",
                                tag,
                                "--file",
                                ArtifactFixtures.lambdaZip().toString());
        assertThat(up.exitCode()).as(up.toString()).isZero();
    }

    @Test
    void downloadsAnotherRunsArtifactFollowingTheRedirectWithoutTheToken() throws Exception {
        uploadLambdaZip("r1");
        CommandHarness.Result r =
                laterWorkflow()
                        .run(
                                "download-artifact",
                                "--tag",
                                "r1",
                                "--run-id",
                                "9001",
                                "--repo",
                                "acme/scorer");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(work.resolve("rust-scorer-artifact/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(ArtifactFixtures.lambdaZip()));
        ArtifactService.Artifact a = service.artifacts(buildRun).get(0);
        assertThat(value(r, "digest")).isEqualTo(a.digest);
        assertThat(value(r, "artifact-id")).isEqualTo(Long.toString(a.id));

        List<ArtifactService.Request> log = service.requests();
        assertThat(log)
                .anySatisfy(
                        x ->
                                assertThat(x.path())
                                        .isEqualTo(
                                                "/repos/acme/scorer/actions/runs/9001/artifacts"));
        assertThat(log)
                .anySatisfy(
                        x ->
                                assertThat(x.path())
                                        .isEqualTo("/repos/acme/scorer/actions/artifacts/" + a.id));
        assertThat(log)
                .anySatisfy(
                        x -> {
                            assertThat(x.path()).endsWith("/zip");
                            assertThat(x.status()).isEqualTo(302);
                        });
        assertThat(log.stream().filter(x -> "rest".equals(x.surface())))
                .allSatisfy(
                        x ->
                                assertThat(x.headers().get("authorization"))
                                        .isIn(
                                                "token " + service.rest().token(),
                                                "Bearer " + service.rest().token()));
        assertThat(log.stream().filter(x -> "blob".equals(x.surface()) && "GET".equals(x.method())))
                .isNotEmpty()
                .allSatisfy(
                        x -> {
                            assertThat(x.headers()).doesNotContainKey("authorization");
                            assertThat(x.status()).isEqualTo(200);
                        });
        assertThat(log).noneSatisfy(x -> assertThat(x.path()).isEqualTo("/user"));
        assertThat(visible(r)).doesNotContain(service.rest().token(), "sig=");
    }

    @Test
    void withoutARuntimeTokenTheCurrentRunIsReadThroughRest() {
        ArtifactService.Run current = service.newRun("acme/scorer", 5555);
        ArtifactService.Job job = service.newJob(current);
        CommandHarness.Result up =
                inJob(service, job, work)
                        .run(
                                "upload-artifact",
                                "--tag",
                                "cur",
                                "--file",
                                ArtifactFixtures.lambdaZip().toString());
        assertThat(up.exitCode()).isZero();
        CommandHarness.Result r =
                laterWorkflow()
                        .env("GITHUB_RUN_ID", "5555")
                        .run("download-artifact", "--tag", "cur");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(work.resolve("rust-scorer-artifact/bootstrap.zip")).exists();
    }

    @Test
    void aWrongNameListsTheRunsArtifacts() {
        uploadLambdaZip("have");
        CommandHarness.Result r =
                laterWorkflow().run("download-artifact", "--tag", "want", "--run-id", "9001");
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(r.err())
                .contains(
                        "'rust-scorer-want.zip' not found in run 9001 of acme/scorer",
                        "it has: rust-scorer-have.zip");
    }

    @Test
    void anUnknownRunIsNotFound() {
        CommandHarness.Result r =
                laterWorkflow().run("download-artifact", "--tag", "x", "--run-id", "123456");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(r.err()).contains("run 123456", "HTTP 404");
    }

    @Test
    void anExpiredArtifactIsNotFoundWithTheFix() {
        uploadLambdaZip("old");
        service.expire(service.artifacts(buildRun).get(0));
        CommandHarness.Result r =
                laterWorkflow().run("download-artifact", "--tag", "old", "--run-id", "9001");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(r.err()).contains("has expired", "rerun the workflow that built it");
    }

    @Test
    void aTokenWithoutActionsReadFailsAtOnceWithThePermissionHint() {
        uploadLambdaZip("p");
        service.rest().denyActionsRead();
        CommandHarness.Result r =
                laterWorkflow().run("download-artifact", "--tag", "p", "--run-id", "9001");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err())
                .contains("HTTP 403", "Resource not accessible by integration", "actions: read");
        assertThat(service.requests().stream().filter(x -> x.status() == 403)).hasSize(1);
    }

    @Test
    void aMissingGithubTokenIsAPrerequisiteError() {
        CommandHarness.Result r =
                ArtifactFixtures.fast(
                                CommandHarness.create()
                                        .workDir(work)
                                        .env("GITHUB_API_URL", service.apiUrl()))
                        .run(
                                "download-artifact",
                                "--tag",
                                "p",
                                "--run-id",
                                "9001",
                                "--repo",
                                "acme/scorer");
        assertThat(r.exitCode()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(r.err()).contains("GITHUB_TOKEN is not set", "actions: read");
    }

    @Test
    void aBadTokenIs401WithAHint() {
        CommandHarness.Result r =
                laterWorkflow()
                        .env("GITHUB_TOKEN", "ghs_wrongwrongwrong")
                        .run("download-artifact", "--tag", "p", "--run-id", "9001");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("HTTP 401", "GITHUB_TOKEN");
        assertThat(visible(r)).doesNotContain("ghs_wrongwrongwrong");
    }

    @Test
    void a503OnTheListingIsRetried() {
        uploadLambdaZip("busy");
        service.faults().status("rest:list", 503, 2).status("rest:zip", 502, 1);
        CommandHarness.Result r =
                laterWorkflow().run("download-artifact", "--tag", "busy", "--run-id", "9001");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(service.faults().injected("rest:list")).isEqualTo(2);
        assertThat(service.faults().injected("rest:zip")).isEqualTo(1);
    }
}
