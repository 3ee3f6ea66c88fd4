package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.artifacts.ArtifactFixtures.inJob;
import static scorerci.artifacts.ArtifactFixtures.value;
import static scorerci.artifacts.ArtifactFixtures.visible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.fakes.ArtifactService;
import scorerci.testing.CommandHarness;

/**
 * upload-artifact → download-artifact inside one workflow run, through the Results service fake.
 */
class ResultsRoundTripTest {
    private final ArtifactService service = ArtifactService.start();
    private final ArtifactService.Run run = service.newRun("acme/scorer", 4242);
    private final ArtifactService.Job build = service.newJob(run);
    private final ArtifactService.Job deploy = service.newJob(run);
    @TempDir Path work;

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void uploadThenDownloadInAnotherJobYieldsTheVerifiedBootstrapZip() throws Exception {
        Path zip = ArtifactFixtures.lambdaZip();
        Path outputs = work.resolve("outputs");
        CommandHarness.Result up =
                inJob(service, build, work)
                        .env("GITHUB_OUTPUT", outputs.toString())
                        .run(
                                "upload-artifact",
                                "--tag",
                                "abc1234",
                                "--file",
                                zip.toString(),
                                "--retention-days",
                                "3");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(value(up, "artifact-name")).isEqualTo("rust-scorer-abc1234.zip");
        assertThat(value(up, "status")).isEqualTo("uploaded");
        assertThat(value(up, "file-sha256")).isEqualTo(sha256(Files.readAllBytes(zip)));

        List<ArtifactService.Artifact> stored = service.artifacts(run);
        assertThat(stored).hasSize(1);
        ArtifactService.Artifact a = stored.get(0);
        byte[] blob = service.content(a);
        assertThat(value(up, "artifact-id")).isEqualTo(Long.toString(a.id));
        assertThat(value(up, "digest")).isEqualTo("sha256:" + sha256(blob)).isEqualTo(a.digest);
        assertThat(value(up, "size")).isEqualTo(Long.toString(blob.length));
        assertThat(Files.readString(outputs))
                .contains(
                        "artifact-id=" + a.id,
                        "artifact-name=rust-scorer-abc1234.zip",
                        "size=" + blob.length,
                        "digest=sha256:" + sha256(blob));
        assertThat(a.expiresAt).isNotNull();

        // the artifact is a standard zip holding bootstrap.zip, byte for byte
        Path artifactZip = Files.write(work.resolve("artifact.zip"), blob);
        try (ZipFile z = ZipFile.builder().setPath(artifactZip).get()) {
            ZipArchiveEntry e = z.getEntry("bootstrap.zip");
            assertThat(e).isNotNull();
            assertThat(z.getInputStream(e).readAllBytes()).isEqualTo(Files.readAllBytes(zip));
        }

        Path dl = work.resolve("dl-outputs");
        CommandHarness.Result down =
                inJob(service, deploy, work)
                        .env("GITHUB_OUTPUT", dl.toString())
                        .run("download-artifact", "--tag", "abc1234");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        Path got = work.resolve("rust-scorer-artifact/bootstrap.zip");
        assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(zip));
        assertThat(value(down, "digest")).isEqualTo(a.digest);
        assertThat(value(down, "code-sha256"))
                .isEqualTo(
                        Base64.getEncoder()
                                .encodeToString(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(Files.readAllBytes(zip))));
        assertThat(Files.readString(dl))
                .contains("path=" + work.resolve("rust-scorer-artifact"), "artifact-id=" + a.id);
        try (var left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".download-artifact-"));
        }
        assertThat(visible(up) + visible(down))
                .doesNotContain(build.runtimeToken(), deploy.runtimeToken(), "sig=");
    }

    @Test
    void speaksTheWireProtocolLikeTheOfficialClient() throws Exception {
        // 20 MiB of incompressible data: three blocks, 8 + 8 + 4 MiB
        Path payload =
                ArtifactFixtures.randomFile(work.resolve("payload/bootstrap.zip"), 20L << 20, 7);
        CommandHarness.Result up =
                inJob(service, build, work)
                        .run("upload-artifact", "--name", "payload", "--file", payload.toString());
        assertThat(up.exitCode()).as(up.toString()).isZero();

        ObjectMapper json = new ObjectMapper();
        List<ArtifactService.Request> log = service.requests();
        ArtifactService.Request create =
                log.stream()
                        .filter(r -> r.path().endsWith("/CreateArtifact"))
                        .findFirst()
                        .orElseThrow();
        JsonNode body = json.readTree(create.body());
        assertThat(body.get("version").asInt()).isEqualTo(4);
        assertThat(body.has("mime_type")).isFalse();
        assertThat(body.get("workflow_run_backend_id").asText()).isEqualTo(run.backendId());
        assertThat(body.get("workflow_job_run_backend_id").asText()).isEqualTo(build.backendId());
        assertThat(create.headers().get("authorization"))
                .isEqualTo("Bearer " + build.runtimeToken());
        assertThat(create.path())
                .isEqualTo("/twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact");

        JsonNode fin =
                json.readTree(
                        log.stream()
                                .filter(r -> r.path().endsWith("/FinalizeArtifact"))
                                .findFirst()
                                .orElseThrow()
                                .body());
        assertThat(fin.get("size").isTextual()).as("int64 as string").isTrue();
        assertThat(fin.get("hash").asText()).matches("sha256:[0-9a-f]{64}");

        List<ArtifactService.Request> blocks =
                log.stream()
                        .filter(
                                r ->
                                        "blob".equals(r.surface())
                                                && r.rawQuery().contains("comp=block&"))
                        .toList();
        assertThat(blocks).hasSize(3);
        assertThat(blocks)
                .allSatisfy(
                        r -> {
                            assertThat(r.headers()).doesNotContainKey("authorization");
                            assertThat(r.headers()).containsKey("x-ms-version");
                            assertThat(r.status()).isEqualTo(201);
                        });
        long total = service.artifacts(run).get(0).size;
        assertThat(total).isGreaterThan(20L << 20); // the file plus the zip's headers
        assertThat(
                        blocks.stream()
                                .map(r -> Long.parseLong(r.headers().get("content-length")))
                                .sorted()
                                .toList())
                .containsExactly(total - (16L << 20), 8388608L, 8388608L);
        assertThat(
                        blocks.stream()
                                .map(r -> r.rawQuery().replaceAll(".*blockid=", "").length())
                                .distinct())
                .hasSize(1);
        ArtifactService.Request list =
                log.stream()
                        .filter(
                                r ->
                                        r.rawQuery() != null
                                                && r.rawQuery().endsWith("comp=blocklist"))
                        .findFirst()
                        .orElseThrow();
        assertThat(list.headers().get("x-ms-blob-content-type")).isEqualTo("application/zip");

        ArtifactService.Artifact a = service.artifacts(run).get(0);
        Path artifactZip = Files.write(work.resolve("artifact.zip"), service.content(a));
        try (ZipFile z = ZipFile.builder().setPath(artifactZip).get()) {
            assertThat(z.getInputStream(z.getEntry("bootstrap.zip")).readAllBytes())
                    .isEqualTo(Files.readAllBytes(payload));
        }

        CommandHarness.Result down =
                inJob(service, deploy, work)
                        .run(
                                "download-artifact",
                                "--name",
                                "payload",
                                "--no-verify",
                                "--dest",
                                "out");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(Files.readAllBytes(work.resolve("out/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(payload));
        assertThat(
                        service.requests().stream()
                                .filter(
                                        r ->
                                                "blob".equals(r.surface())
                                                        && "GET".equals(r.method())))
                .allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("authorization"));
    }

    @Test
    void rerunWithTheSameFileSucceedsWithoutUploadingAndDifferentContentIsAConflict()
            throws Exception {
        Path zip = ArtifactFixtures.lambdaZip();
        CommandHarness.Result first =
                inJob(service, build, work)
                        .run("upload-artifact", "--tag", "t1", "--file", zip.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        long creates = creates();

        // a rerun job of the same run: same bytes → unchanged. Create first: one CreateArtifact
        // answered 409, then (and only then) a ListArtifacts; no block, no FinalizeArtifact
        int before = service.requests().size();
        CommandHarness.Result again =
                inJob(service, deploy, work)
                        .run("upload-artifact", "--tag", "t1", "--file", zip.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(value(again, "status")).isEqualTo("unchanged");
        assertThat(value(again, "artifact-id")).isEqualTo(value(first, "artifact-id"));
        assertThat(creates()).isEqualTo(creates + 1);
        assertThat(service.requests().subList(before, service.requests().size()))
                .extracting(r -> r.path().substring(r.path().lastIndexOf('/') + 1))
                .containsExactly("CreateArtifact", "ListArtifacts");

        Path other = ArtifactFixtures.lambdaZipVariant(work.resolve("other"), "different");
        CommandHarness.Result conflict =
                inJob(service, build, work)
                        .run("upload-artifact", "--tag", "t1", "--file", other.toString());
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ExitCode.CONFLICT.code);
        assertThat(conflict.err())
                .contains("already exists", "different content", "--if-exists overwrite");

        CommandHarness.Result failMode =
                inJob(service, build, work)
                        .run(
                                "upload-artifact",
                                "--tag",
                                "t1",
                                "--file",
                                zip.toString(),
                                "--if-exists",
                                "fail");
        assertThat(failMode.exitCode()).isEqualTo(ExitCode.CONFLICT.code);

        CommandHarness.Result overwrite =
                inJob(service, build, work)
                        .run(
                                "upload-artifact",
                                "--tag",
                                "t1",
                                "--file",
                                other.toString(),
                                "--if-exists",
                                "overwrite");
        assertThat(overwrite.exitCode()).as(overwrite.toString()).isZero();
        assertThat(value(overwrite, "status")).isEqualTo("replaced");
        assertThat(value(overwrite, "artifact-id")).isNotEqualTo(value(first, "artifact-id"));
        assertThat(service.artifacts(run)).hasSize(1);
        assertThat(service.artifacts(run).get(0).digest).isEqualTo(value(overwrite, "digest"));
    }

    @Test
    void theOuterZipIsDeterministicSoEqualFilesGiveEqualDigestsAcrossRuns() throws Exception {
        ArtifactService.Run other = service.newRun("acme/scorer", 4243);
        ArtifactService.Job job2 = service.newJob(other);
        Path zip = ArtifactFixtures.lambdaZip();
        CommandHarness.Result a =
                inJob(service, build, work)
                        .run("upload-artifact", "--tag", "x", "--file", zip.toString());
        CommandHarness.Result b =
                inJob(service, job2, work)
                        .run("upload-artifact", "--tag", "x", "--file", zip.toString());
        assertThat(a.exitCode()).isZero();
        assertThat(b.exitCode()).isZero();
        assertThat(value(a, "digest")).isEqualTo(value(b, "digest"));
    }

    private long creates() {
        return service.requests().stream()
                .filter(r -> r.path().endsWith("/CreateArtifact"))
                .count();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
