package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;
import scorerci.testing.HostilePeer;
import scorerci.testing.PipelineMain;

/**
 * A real child JVM running download-artifact is signalled half way through the transfer (the blob
 * sends a zip's first bytes, then stalls): SIGTERM must leave --dest as it was and no staging
 * directory; SIGKILL leaves the staging directory, which the next run removes (its name carries the
 * dead owner's pid). Before: the staging directory outlived both.
 */
class InterruptedDownloadTest {
    private static final String SERVICE = "/twirp/github.actions.results.api.v1.ArtifactService/";
    private final HostilePeer peer = HostilePeer.start();
    @TempDir Path work;

    @AfterEach
    void stop() {
        peer.close();
    }

    private Map<String, String> env() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token =
                b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64.encodeToString(
                                "{\"scp\":\"Actions.Results:r:j\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        + ".c2ln";
        return Map.of(
                "GITHUB_ACTIONS",
                "true",
                "ACTIONS_RUNTIME_TOKEN",
                token,
                "ACTIONS_RESULTS_URL",
                peer.uri().toString(),
                "SCORER_ARTIFACT_TIMEOUT_MS",
                "60000",
                "SCORER_ARTIFACT_RETRY_ATTEMPTS",
                "1",
                "SCORER_NET_MIN_RATE_BPS",
                "0");
    }

    private void stallingService() throws Exception {
        byte[] zip = ArtifactFixtures.zipWithEntry("payload.bin", false);
        byte[] head = java.util.Arrays.copyOf(zip, 40); // a local header and the start of the data
        peer.route(
                        SERVICE + "ListArtifacts",
                        HostilePeer.status(
                                200,
                                "{\"artifacts\":[{\"name\":\"victim\",\"database_id\":\"7\",\"size\":\""
                                        + zip.length
                                        + "\"}]}"))
                .route(
                        SERVICE + "GetSignedArtifactURL",
                        HostilePeer.status(
                                200, "{\"signed_url\":\"" + peer.uri() + "/blob/v?sig=abcdefgh\"}"))
                .route("/blob/", HostilePeer.stallAfterHeaders(200, zip.length, head));
    }

    private Process startDownload() throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(
                        PipelineMain.command(
                                "download-artifact",
                                "--name",
                                "victim",
                                "--no-verify",
                                "--dest",
                                "dest"));
        pb.directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        pb.redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        // wait until the child is mid-transfer: its staging directory exists and the blob was asked
        // for
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until && (staging().isEmpty() || peer.count("/blob/") == 0)) {
            assertThat(p.isAlive()).as("child ended early: " + log()).isTrue();
            Thread.sleep(50);
        }
        assertThat(staging()).as("staging directory while downloading").isNotEmpty();
        Thread.sleep(300); // let it write what it received
        return p;
    }

    private List<String> staging() throws Exception {
        try (Stream<Path> s = Files.list(work)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".dest") || n.startsWith(".download-artifact"))
                    .toList();
        }
    }

    private String log() {
        try {
            return Files.readString(work.resolve("child.log"));
        } catch (Exception e) {
            return "";
        }
    }

    private Path existingDest() throws Exception {
        Path dest = Files.createDirectories(work.resolve("dest"));
        Files.writeString(dest.resolve("keep.txt"), "old");
        return dest;
    }

    @Test
    void sigtermMidTransferLeavesDestAsItWasAndNoStaging() throws Exception {
        stallingService();
        Path dest = existingDest();
        Process p = startDownload();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("child exits on SIGTERM").isTrue();
        assertThat(staging()).as("staging removed on SIGTERM; child said: " + log()).isEmpty();
        try (Stream<Path> s = Files.list(dest)) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactly("keep.txt");
        }
    }

    @Test
    void whatASigkillLeavesIsRemovedByTheNextRun() throws Exception {
        stallingService();
        existingDest();
        Process p = startDownload();
        p.destroyForcibly(); // SIGKILL: no hook runs
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(staging()).as("SIGKILL leaves the staging directory").isNotEmpty();

        peer.route("/blob/", HostilePeer.status(503, "{}"));
        CommandHarness.Result next =
                CommandHarness.create()
                        .workDir(work)
                        .env(env())
                        .env("SCORER_ARTIFACT_TIMEOUT_MS", "2000")
                        .run(
                                "download-artifact",
                                "--name",
                                "victim",
                                "--no-verify",
                                "--dest",
                                "dest");
        assertThat(next.exitCode()).as(next.toString()).isEqualTo(ExitCode.REMOTE.code);
        assertThat(staging()).as("the next run swept the dead run's staging").isEmpty();
        assertThat(Files.readString(work.resolve("dest/keep.txt"))).isEqualTo("old");
    }
}
