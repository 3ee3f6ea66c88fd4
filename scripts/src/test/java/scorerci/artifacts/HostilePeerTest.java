package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;
import scorerci.testing.HostilePeer;

/**
 * download-artifact against a hostile Results service and blob store on loopback (the attacks of
 * issue 10): every one must end with its exit code within the configured deadlines (here shrunk to
 * under a second per stall), keep --dest as it was, leave no staging directory, and never print the
 * signed URL's signature. Before the deadline model, each of these hung for good or read without
 * bound; assertTimeoutPreemptively turns such a hang into a failure.
 */
class HostilePeerTest {
    private static final String SERVICE = "/twirp/github.actions.results.api.v1.ArtifactService/";
    private static final String SIG = "SIGsecretSIGNATUREvalue42";
    private static final Duration HANG = Duration.ofSeconds(30);

    private final HostilePeer peer = HostilePeer.start();
    @TempDir Path work;

    @AfterEach
    void stop() {
        peer.close();
    }

    /** A runtime token whose scp claim names run and job backend ids, as the runner's does. */
    private static String runtimeToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"scp\":\"Actions.Results:run-1:job-1\"}";
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + ".c2ln";
    }

    /** A well-behaved listing and signed URL, so the attack happens where the test puts it. */
    private HostilePeer service() {
        return peer.route(
                        SERVICE + "ListArtifacts",
                        HostilePeer.status(
                                200,
                                "{\"artifacts\":[{\"name\":\"victim\",\"database_id\":\"7\",\"size\":\"100\","
                                        + "\"digest\":\"sha256:"
                                        + "0".repeat(64)
                                        + "\"}]}"))
                .route(
                        SERVICE + "GetSignedArtifactURL",
                        HostilePeer.status(
                                200,
                                "{\"signed_url\":\""
                                        + peer.uri()
                                        + "/blob/victim.zip?sv=1&sig="
                                        + SIG
                                        + "\"}"));
    }

    private CommandHarness harness() {
        return CommandHarness.create()
                .workDir(work)
                .env(
                        Map.ofEntries(
                                Map.entry("GITHUB_ACTIONS", "true"),
                                Map.entry("ACTIONS_RUNTIME_TOKEN", runtimeToken()),
                                Map.entry("ACTIONS_RESULTS_URL", peer.uri().toString()),
                                Map.entry("SCORER_ARTIFACT_TIMEOUT_MS", "700"),
                                Map.entry("SCORER_ARTIFACT_RETRY_ATTEMPTS", "2"),
                                Map.entry("SCORER_ARTIFACT_RETRY_BASE_MS", "5"),
                                Map.entry("SCORER_ARTIFACT_RETRY_MAX_MS", "10"),
                                Map.entry("SCORER_ARTIFACT_RETRY_BUDGET_MS", "4000"),
                                Map.entry("SCORER_NET_DEADLINE_MS", "8000"),
                                Map.entry("SCORER_NET_MIN_RATE_BPS", "2000"),
                                Map.entry("SCORER_NET_REPLY_MAX_BYTES", "1000000")));
    }

    /** Runs download-artifact into a --dest that already holds a file, which must survive. */
    private CommandHarness.Result download(String... extra) throws Exception {
        Path dest = Files.createDirectories(work.resolve("dest"));
        Files.writeString(dest.resolve("keep.txt"), "old");
        String[] args =
                Stream.concat(
                                Stream.of(
                                        "download-artifact",
                                        "--name",
                                        "victim",
                                        "--no-verify",
                                        "--dest",
                                        "dest"),
                                Stream.of(extra))
                        .toArray(String[]::new);
        CommandHarness.Result r =
                assertTimeoutPreemptively(
                        HANG,
                        () -> harness().run(args),
                        "download-artifact hung against a hostile peer");
        assertThat(Files.readString(dest.resolve("keep.txt")))
                .as("--dest is as it was")
                .isEqualTo("old");
        try (Stream<Path> left = Files.list(dest)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("--dest holds only what it had")
                    .containsExactly("keep.txt");
        }
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no staging left beside --dest")
                    .containsOnly("dest");
        }
        assertThat(r.out() + r.err())
                .as("signature never printed outside ::add-mask::")
                .satisfies(all -> assertThat(ArtifactFixtures.visible(r)).doesNotContain(SIG));
        return r;
    }

    @Test
    void aServiceReplyThatStallsAfterItsHeadersTimesOut() throws Exception {
        peer.route(
                SERVICE + "ListArtifacts",
                HostilePeer.stallAfterHeaders(
                        200, 1000, "{\"artifacts\"".getBytes(StandardCharsets.UTF_8)));
        CommandHarness.Result r = download();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err())
                .contains("ListArtifacts")
                .containsAnyOf(
                        "no data for",
                        "below the minimum"); // a prefix, then nothing: either bound may fire first
    }

    @Test
    void aServiceThatNeverAnswersFailsWithinTheBudget() throws Exception {
        peer.route(SERVICE + "ListArtifacts", HostilePeer.silence());
        CommandHarness.Result r = download();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("no response for");
    }

    @Test
    void aBlob500WhoseErrorBodyStallsTimesOut() throws Exception {
        service()
                .route(
                        "/blob/",
                        HostilePeer.stallAfterHeaders(
                                500,
                                5000,
                                "<Error><Message>busy".getBytes(StandardCharsets.UTF_8)));
        CommandHarness.Result r = download();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err())
                .contains("download of 'victim'")
                .containsAnyOf("no data for", "below the minimum");
    }

    @Test
    void aBlobStalledAfterItsHeadersTimesOut() throws Exception {
        service()
                .route(
                        "/blob/",
                        HostilePeer.stallAfterHeaders(200, 1 << 20, new byte[] {'P', 'K'}));
        CommandHarness.Result r = download();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        // two bytes then nothing: the stall limit and the rate window end together, either may say
        // so
        assertThat(r.err()).containsAnyOf("no data for", "below the minimum");
        assertThat(peer.count("/blob/")).as("the whole transfer was retried").isEqualTo(2);
    }

    @Test
    void aTricklingBlobFailsOnTheMinimumRate() throws Exception {
        service().route("/blob/", HostilePeer.trickle(1 << 20, 50)); // 20 bytes/s, never a stall
        CommandHarness.Result r = download();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("below the minimum of 2000 bytes/s");
    }

    @Test
    void aHugeContentLengthIsRefusedBeforeReading() throws Exception {
        service().route("/blob/", HostilePeer.endless(false, 1_000_000_000_000_000L));
        CommandHarness.Result r = download("--max-size-mb", "1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(r.err()).contains("exceed", "--max-size-mb");
        assertThat(peer.count("/blob/")).as("not retried").isEqualTo(1);
    }

    @Test
    void anEndlessChunkedBlobStopsAtTheCap() throws Exception {
        service().route("/blob/", HostilePeer.endless(true, 0));
        CommandHarness.Result r = download("--max-size-mb", "1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(r.err()).contains("exceed");
    }

    @Test
    void anEndlessChunkedServiceReplyStopsAtTheReplyCap() throws Exception {
        peer.route(SERVICE + "ListArtifacts", HostilePeer.endless(true, 0));
        CommandHarness.Result r = download();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("ListArtifacts", "over the 1000000-byte limit");
    }

    @Test
    void aBodyShorterThanItsContentLengthIsRetriedThenRemote() throws Exception {
        service()
                .route(
                        "/blob/",
                        HostilePeer.wrongLength(
                                "PK short".getBytes(StandardCharsets.US_ASCII), 1000));
        CommandHarness.Result r = download();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(peer.count("/blob/")).isEqualTo(2);
    }

    @Test
    void aMalformedSignedUrlNeverShowsItsSignature() throws Exception {
        peer.route(
                        SERVICE + "ListArtifacts",
                        HostilePeer.status(
                                200,
                                "{\"artifacts\":[{\"name\":\"victim\",\"database_id\":\"7\",\"size\":\"100\"}]}"))
                .route(
                        SERVICE + "GetSignedArtifactURL",
                        HostilePeer.status(
                                200,
                                "{\"signed_url\":\"http://bad host/x?sv=1&sig=" + SIG + "\"}"));
        CommandHarness.Result r = download("-v");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("malformed URL");
    }

    @Test
    void aServiceMessageCannotInjectWorkflowCommandsOrEscapes() throws Exception {
        peer.route(
                SERVICE + "ListArtifacts",
                HostilePeer.status(
                        403,
                        "{\"code\":\"permission_denied\",\"msg\":\"no\\n::set-output name=x::pwned\\u001b[2J ##[error]x\"}"));
        CommandHarness.Result r = download();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(r.err()).contains("permission_denied");
        assertThat((r.out() + r.err()).lines())
                .noneMatch(l -> l.stripLeading().startsWith("::set-output"));
        assertThat(r.out() + r.err()).doesNotContain("\u001b", "##[error]");
    }

    @Test
    void aRestApiThatStallsMidReplyFailsWithinTheBudget() throws Exception {
        peer.route(
                "/repos/acme/scorer",
                HostilePeer.stallAfterHeaders(
                        200, 5000, "{\"id\":1,".getBytes(StandardCharsets.UTF_8)));
        Files.createDirectories(work.resolve("dest"));
        CommandHarness.Result r =
                assertTimeoutPreemptively(
                        HANG,
                        () ->
                                harness()
                                        .env("GITHUB_TOKEN", "ghs_notarealtokenvalue42")
                                        .env("GITHUB_API_URL", peer.uri().toString())
                                        .run(
                                                "download-artifact",
                                                "--name",
                                                "victim",
                                                "--no-verify",
                                                "--dest",
                                                "dest",
                                                "--run-id",
                                                "5",
                                                "--repo",
                                                "acme/scorer"),
                        "download-artifact hung on a stalled REST reply");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(ArtifactFixtures.visible(r)).doesNotContain("ghs_notarealtokenvalue42");
    }
}
