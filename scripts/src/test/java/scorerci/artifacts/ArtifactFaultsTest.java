package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.artifacts.ArtifactFixtures.inJob;
import static scorerci.artifacts.ArtifactFixtures.visible;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.fakes.ArtifactService;
import scorerci.testing.CommandHarness;

/**
 * Each injected fault gets its documented exit code and message, and leaves nothing behind: no
 * finalized artifact after a failed upload, no file in --dest after a failed download.
 */
class ArtifactFaultsTest {
    private final ArtifactService service = ArtifactService.start();
    private final ArtifactService.Run run = service.newRun("acme/scorer", 77);
    private final ArtifactService.Job job = service.newJob(run);
    @TempDir Path work;

    @AfterEach
    void stop() {
        service.close();
    }

    private Path payload() throws Exception {
        return ArtifactFixtures.randomFile(
                work.resolve("in/bootstrap.zip"), 17L << 20, 3); // 3 blocks
    }

    private CommandHarness.Result upload(Path file, String name) {
        return inJob(service, job, work)
                .run("upload-artifact", "--name", name, "--file", file.toString());
    }

    private CommandHarness.Result download(String name) {
        return inJob(service, job, work)
                .run("download-artifact", "--name", name, "--no-verify", "--dest", "dest");
    }

    @Test
    void a503BurstOnPutBlockIsRetriedAndTheUploadSucceeds() throws Exception {
        service.faults().status("blob:block", 503, 3).status("twirp:CreateArtifact", 503, 2);
        CommandHarness.Result r = upload(payload(), "burst");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(service.faults().injected("blob:block")).isEqualTo(3);
        assertThat(service.faults().injected("twirp:CreateArtifact")).isEqualTo(2);
        assertThat(r.err()).contains("HTTP 503", "retry 2/5");
        assertThat(service.artifacts(run)).hasSize(1);
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        service.faults().statusWithRetryAfter("twirp:CreateArtifact", 429, 1, "1");
        long start = System.nanoTime();
        CommandHarness.Result r = upload(payload(), "later");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
        assertThat(r.err()).contains("HTTP 429", "in 1000 ms");
    }

    @Test
    void persistent503FailsRemoteAfterBoundedAttemptsAndFinalizesNothing() throws Exception {
        service.faults().status("blob:block", 503, 1000);
        CommandHarness.Result r = upload(payload(), "down");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("failed after 5 attempts", "HTTP 503");
        assertThat(service.artifacts(run)).isEmpty();
        assertThat(service.requests().stream().filter(x -> x.path().endsWith("/FinalizeArtifact")))
                .isEmpty();
        assertThat(
                        service.requests().stream()
                                .filter(
                                        x ->
                                                x.rawQuery() != null
                                                        && x.rawQuery().endsWith("comp=blocklist")))
                .isEmpty();
        assertThat(visible(r)).doesNotContain(job.runtimeToken(), "sig=");
    }

    @Test
    void aConnectionDroppedMidBlockIsRetried() throws Exception {
        service.faults().dropConnection("blob:block", 2);
        Path file = payload();
        CommandHarness.Result r = upload(file, "dropped");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(service.faults().injected("blob:block")).isEqualTo(2);
        CommandHarness.Result d = download("dropped");
        assertThat(d.exitCode()).as(d.toString()).isZero();
        assertThat(Files.readAllBytes(work.resolve("dest/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void connectionsDroppedEveryTimeFailRemoteWithNothingFinalized() throws Exception {
        service.faults().dropConnection("blob:block", 1000);
        CommandHarness.Result r = upload(payload(), "dropped");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("Put Block", "connection");
        assertThat(service.artifacts(run)).isEmpty();
    }

    @Test
    void aTruncatedDownloadIsRetriedAndAPersistentOneLeavesNothing() throws Exception {
        Path file = payload();
        assertThat(upload(file, "cut").exitCode()).isZero();
        service.faults().truncate("blob:get", 1);
        CommandHarness.Result once = download("cut");
        assertThat(once.exitCode()).as(once.toString()).isZero();
        assertThat(Files.readAllBytes(work.resolve("dest/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(file));

        Files.delete(work.resolve("dest/bootstrap.zip"));
        service.faults().truncate("blob:get", 1000);
        CommandHarness.Result always = download("cut");
        assertThat(always.exitCode()).as(always.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(always.err()).contains("failed after 5 attempts");
        assertNothingLanded();
    }

    @Test
    void aDigestMismatchFailsVerificationAndNothingLands() throws Exception {
        assertThat(upload(payload(), "bent").exitCode()).isZero();
        service.faults().corrupt("blob:get", 1);
        CommandHarness.Result r = download("bent");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(r.err()).contains("digest mismatch", "nothing was written");
        assertNothingLanded();
    }

    @Test
    void zipSlipAbsolutePathsAndSymlinksAreRefused() throws Exception {
        service.putArtifact(job, "slip", ArtifactFixtures.zipWithEntry("../../evil.txt", false));
        service.putArtifact(job, "abs", ArtifactFixtures.zipWithEntry("/tmp/evil.txt", false));
        service.putArtifact(job, "link", ArtifactFixtures.zipWithEntry("bootstrap.zip", true));
        for (String name : new String[] {"slip", "abs", "link"}) {
            CommandHarness.Result r = download(name);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
            assertThat(r.err()).contains("refusing the artifact");
            assertNothingLanded();
        }
        assertThat(work.getParent().resolve("evil.txt")).doesNotExist();
        assertThat(work.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void anArtifactThatIsNotALambdaZipFailsVerificationUnlessNoVerify() throws Exception {
        assertThat(upload(payload(), "notlambda").exitCode()).isZero();
        CommandHarness.Result r =
                inJob(service, job, work)
                        .run("download-artifact", "--name", "notlambda", "--dest", "dest");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertNothingLanded();
    }

    @Test
    void oversizedExtractionIsRefused() throws Exception {
        assertThat(upload(payload(), "big").exitCode()).isZero();
        CommandHarness.Result r =
                inJob(service, job, work)
                        .run(
                                "download-artifact",
                                "--name",
                                "big",
                                "--no-verify",
                                "--dest",
                                "dest",
                                "--max-size-mb",
                                "1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(r.err()).contains("exceeds");
        assertNothingLanded();
    }

    @Test
    void aWrongNameIsNotFoundAndListsTheNamesThatExist() throws Exception {
        assertThat(upload(payload(), "rust-scorer-aaa.zip").exitCode()).isZero();
        CommandHarness.Result r = download("rust-scorer-bbb.zip");
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(r.err())
                .contains("'rust-scorer-bbb.zip' not found", "it has: rust-scorer-aaa.zip");
        assertNothingLanded();
    }

    @Test
    void forbiddenNameCharactersAreAUsageError() throws Exception {
        CommandHarness.Result r = upload(payload(), "bad:name");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("forbidden character ':'");
        assertThat(service.requests()).isEmpty();
    }

    @Test
    void missingRuntimeTokenInActionsNamesTheStepToAdd() throws Exception {
        CommandHarness.Result r =
                ArtifactFixtures.fast(
                                CommandHarness.create().workDir(work).env("GITHUB_ACTIONS", "true"))
                        .run("upload-artifact", "--name", "x", "--file", payload().toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(r.err())
                .contains(
                        "uses: ./.github/actions/artifact-runtime",
                        "steps.runtime.outputs.runtime-token")
                .doesNotContain("exportVariable", "@v7");
        assertThat(Path.of(".github/actions/artifact-runtime/action.yml"))
                .as("the hint names an action that exists")
                .isRegularFile();
        assertThat(r.err().lines().filter(l -> l.startsWith("error:"))).hasSize(1);
    }

    @Test
    void anInvalidRuntimeTokenIsRejectedAtOnceWithoutRetrying() throws Exception {
        String forged =
                "eyJhbGciOiJub25lIn0."
                        + java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(
                                        ("{\"scp\":\"Actions.Results:"
                                                        + run.backendId()
                                                        + ":"
                                                        + job.backendId()
                                                        + "\"}")
                                                .getBytes())
                        + ".x";
        CommandHarness.Result r =
                ArtifactFixtures.fast(
                                CommandHarness.create()
                                        .workDir(work)
                                        .env("GITHUB_ACTIONS", "true")
                                        .env("ACTIONS_RUNTIME_TOKEN", forged)
                                        .env("ACTIONS_RESULTS_URL", service.resultsUrl()))
                        .run("upload-artifact", "--name", "x", "--file", payload().toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err())
                .contains("HTTP 401", "unauthenticated", "ACTIONS_RUNTIME_TOKEN is valid only");
        assertThat(service.requests()).hasSize(1);
        assertThat(visible(r)).doesNotContain(forged);
    }

    @Test
    void aTokenWithoutResultsScopeIsAPrerequisiteError() throws Exception {
        String token =
                "eyJhbGciOiJub25lIn0."
                        + java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString("{\"scp\":\"Actions.GenericRead:x\"}".getBytes())
                        + ".x";
        CommandHarness.Result r =
                ArtifactFixtures.fast(
                                CommandHarness.create()
                                        .workDir(work)
                                        .env("GITHUB_ACTIONS", "true")
                                        .env("ACTIONS_RUNTIME_TOKEN", token)
                                        .env("ACTIONS_RESULTS_URL", service.resultsUrl()))
                        .run("upload-artifact", "--name", "x", "--file", payload().toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(r.err()).contains("Failed to get backend IDs");
    }

    @Test
    void quotaExhaustionFailsAtOnceWithAHint() throws Exception {
        // the service reports the quota as a twirp error whose msg says "insufficient usage"
        CommandHarness.Result r;
        try (QuotaFault quota = new QuotaFault(service)) {
            r = upload(payload(), "full");
        }
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("insufficient usage", "quota");
        assertThat(service.requests().stream().filter(x -> x.path().endsWith("/CreateArtifact")))
                .hasSize(1);
    }

    @Test
    void theUploadedFileMustExist() {
        CommandHarness.Result r = inJob(service, job, work).run("upload-artifact", "--tag", "t");
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(r.err())
                .contains(
                        "scorer/target/lambda/rust-scorer/bootstrap.zip does not exist",
                        "build-zip");
    }

    @Test
    void secretsNeverAppearInOutputEvenOnFailures() throws Exception {
        Path file = payload();
        assertThat(upload(file, "s").exitCode()).isZero();
        service.faults().corrupt("blob:get", 1);
        CommandHarness.Result bad =
                inJob(service, job, work)
                        .run("download-artifact", "--name", "s", "--no-verify", "--verbose");
        service.faults().status("blob:get", 403, 1);
        CommandHarness.Result forbidden =
                inJob(service, job, work)
                        .run("download-artifact", "--name", "s", "--no-verify", "--verbose");
        assertThat(forbidden.exitCode()).isEqualTo(ExitCode.REMOTE.code);
        String all = visible(bad) + visible(forbidden);
        assertThat(all).doesNotContain(job.runtimeToken(), "sig=", "%2B", "%3D");
        assertThat(bad.out() + forbidden.out()).contains("::add-mask::");
    }

    private void assertNothingLanded() throws Exception {
        Path dest = work.resolve("dest");
        if (Files.exists(dest)) {
            try (var files = Files.list(dest)) {
                assertThat(files).as("files in --dest").isEmpty();
            }
        }
        try (var left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".download-artifact-"));
        }
    }

    /** Makes CreateArtifact answer like an exhausted storage quota. */
    private static final class QuotaFault implements AutoCloseable {
        QuotaFault(ArtifactService service) {
            service.faults().quota(true);
            this.service = service;
        }

        private final ArtifactService service;

        @Override
        public void close() {
            service.faults().quota(false);
        }
    }
}
