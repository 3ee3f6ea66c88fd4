package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.artifacts.ArtifactFixtures.inJob;
import static scorerci.artifacts.ArtifactFixtures.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.fakes.ArtifactService;
import scorerci.testing.CommandHarness;

/**
 * Byte-for-byte interoperability with the official @actions/artifact 6.x client (what
 * actions/upload-artifact and actions/download-artifact run), both ways, against one fake.
 */
class ArtifactInteropTest {
    private final ArtifactService service = ArtifactService.start();
    private final ArtifactService.Run run = service.newRun("acme/scorer", 31337);
    private final ArtifactService.Job ours = service.newJob(run);
    private final ArtifactService.Job theirs = service.newJob(run);
    @TempDir Path work;

    @AfterEach
    void stop() {
        service.close();
    }

    private Map<String, String> officialEnv(ArtifactService.Job job) {
        Map<String, String> env = new HashMap<>(job.env(service));
        env.put("GITHUB_API_URL", service.apiUrl()); // read at module load: set before node starts
        env.put("GITHUB_TOKEN", service.rest().token());
        env.put("GITHUB_WORKSPACE", work.toString());
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", System.getenv("HOME"));
        return env;
    }

    @Test
    void ourUploadTheirDownloadSameRunAndRest() throws Exception {
        Path zip = ArtifactFixtures.lambdaZip();
        CommandHarness.Result up =
                inJob(service, ours, work)
                        .run("upload-artifact", "--tag", "ours", "--file", zip.toString());
        assertThat(up.exitCode()).as(up.toString()).isZero();

        Path sameRun = work.resolve("their-twirp");
        JsonNode got =
                OfficialClient.run(
                        officialEnv(theirs),
                        "download",
                        "rust-scorer-ours.zip",
                        sameRun.toString());
        assertThat(got.get("id").asText()).isEqualTo(value(up, "artifact-id"));
        assertThat(got.get("digest").asText()).isEqualTo(value(up, "digest"));
        assertThat(Files.readAllBytes(sameRun.resolve("bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(zip));

        Path viaRest = work.resolve("their-rest");
        OfficialClient.run(
                officialEnv(theirs),
                "download-rest",
                "rust-scorer-ours.zip",
                viaRest.toString(),
                "31337",
                "acme/scorer");
        assertThat(Files.readAllBytes(viaRest.resolve("bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(zip));
    }

    @Test
    void theirUploadOurDownloadSameRunAndRest() throws Exception {
        Path root = Files.createDirectories(work.resolve("build"));
        Path zip = Files.copy(ArtifactFixtures.lambdaZip(), root.resolve("bootstrap.zip"));
        JsonNode up =
                OfficialClient.run(
                        officialEnv(theirs),
                        "upload",
                        "rust-scorer-theirs.zip",
                        root.toString(),
                        zip.toString());
        ArtifactService.Artifact stored = service.artifacts(run).get(0);
        assertThat(up.get("id").asLong()).isEqualTo(stored.id);

        CommandHarness.Result twirp =
                inJob(service, ours, work)
                        .run("download-artifact", "--tag", "theirs", "--dest", "ours-twirp");
        assertThat(twirp.exitCode()).as(twirp.toString()).isZero();
        assertThat(Files.readAllBytes(work.resolve("ours-twirp/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(zip));
        assertThat(value(twirp, "digest")).isEqualTo(stored.digest);
        assertThat(twirp.err())
                .as("their deflated zip streams, no temp-file fallback")
                .doesNotContain("downloading it again");

        CommandHarness.Result rest =
                ArtifactFixtures.fast(
                                CommandHarness.create()
                                        .workDir(work)
                                        .env("GITHUB_ACTIONS", "true")
                                        .env("GITHUB_API_URL", service.apiUrl())
                                        .env("GITHUB_TOKEN", service.rest().token()))
                        .run(
                                "download-artifact",
                                "--tag",
                                "theirs",
                                "--dest",
                                "ours-rest",
                                "--run-id",
                                "31337",
                                "--repo",
                                "acme/scorer");
        assertThat(rest.exitCode()).as(rest.toString()).isZero();
        assertThat(Files.readAllBytes(work.resolve("ours-rest/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(zip));
        assertThat(rest.err()).doesNotContain("downloading it again");

        // a rerun of our upload over their artifact recognises the same bootstrap.zip inside their
        // (deflated) zip
        CommandHarness.Result again =
                inJob(service, ours, work)
                        .run("upload-artifact", "--tag", "theirs", "--file", zip.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(value(again, "status")).isEqualTo("unchanged");
        assertThat(value(again, "artifact-id")).isEqualTo(Long.toString(stored.id));
    }

    @Test
    void aLargeMultiBlockArtifactCrossesBothWays() throws Exception {
        Path root = Files.createDirectories(work.resolve("big"));
        Path payload = ArtifactFixtures.randomFile(root.resolve("bootstrap.zip"), 25L << 20, 11);
        CommandHarness.Result up =
                inJob(service, ours, work)
                        .run("upload-artifact", "--name", "big-ours", "--file", payload.toString());
        assertThat(up.exitCode()).as(up.toString()).isZero();
        OfficialClient.run(
                officialEnv(theirs), "download", "big-ours", work.resolve("t").toString());
        assertThat(Files.mismatch(work.resolve("t/bootstrap.zip"), payload)).isEqualTo(-1L);

        OfficialClient.run(
                officialEnv(theirs),
                "upload",
                "big-theirs",
                root.toString(),
                payload.toString(),
                "--level",
                "0");
        CommandHarness.Result down =
                inJob(service, ours, work)
                        .run(
                                "download-artifact",
                                "--name",
                                "big-theirs",
                                "--no-verify",
                                "--dest",
                                "o");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(Files.mismatch(work.resolve("o/bootstrap.zip"), payload)).isEqualTo(-1L);
        // STORED with data descriptors (their --level 0) cannot be extracted from a stream without
        // buffering the entry: the stage stops at the first header and takes the temp-file path
        assertThat(down.err())
                .contains(
                        "cannot be read from a stream", "downloading it again to a temporary file");
    }
}
