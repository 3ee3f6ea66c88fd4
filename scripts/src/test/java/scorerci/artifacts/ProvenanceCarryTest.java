package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.artifacts.ArtifactFixtures.value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.artifacts.store.LocalStore;
import scorerci.core.Digests;
import scorerci.core.ExitCode;
import scorerci.net.ProgressMeter;
import scorerci.provenance.ProvenanceStatement;
import scorerci.testing.CommandHarness;
import scorerci.zip.OuterZip;

/**
 * The provenance statement travels inside the artifact next to bootstrap.zip, and each step checks
 * that it is about the zip beside it (issue 12): upload refuses a mismatched pair, download refuses
 * a tampered one and writes nothing, and a rerun whose statement differs only in its builder still
 * recognises its upload.
 */
class ProvenanceCarryTest {
    @TempDir Path repo;

    private Path build(Path dir, Path zip, String runId) throws Exception {
        Path copy = Files.createDirectories(dir).resolve("bootstrap.zip");
        Files.copy(zip, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ProvenanceStatement.write(copy, facts(Digests.hex(Digests.sha256(copy)), runId));
        return copy;
    }

    private static ProvenanceStatement.Facts facts(String sha, String runId) {
        Map<String, String> env =
                runId == null
                        ? Map.of()
                        : Map.of(
                                "GITHUB_ACTIONS",
                                "true",
                                "GITHUB_SERVER_URL",
                                "https://github.com",
                                "GITHUB_REPOSITORY",
                                "o/r",
                                "GITHUB_RUN_ID",
                                runId);
        return new ProvenanceStatement.Facts(
                "bootstrap.zip",
                sha,
                "rust-scorer",
                "0.1.0",
                null,
                null,
                "system",
                "aarch64-unknown-linux-gnu",
                Map.of(),
                List.of(),
                null,
                "2.34",
                ProvenanceStatement.Builder.fromEnv(env));
    }

    private CommandHarness.Result run(String... args) {
        return CommandHarness.create().workDir(repo).run(args);
    }

    @Test
    void theStatementIsUploadedWithTheZipAndDownloadedBesideIt() throws Exception {
        Path zip = build(repo.resolve("build1"), ArtifactFixtures.lambdaZip(), "100");
        String store = repo.resolve("store").toString();
        CommandHarness.Result up =
                run("upload-artifact", "--tag", "p", "--file", zip.toString(), "--store", store);
        assertThat(up.exitCode()).as(up.toString()).isZero();

        CommandHarness.Result down =
                run("download-artifact", "--tag", "p", "--store", store, "--dest", "out");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(Files.readAllBytes(repo.resolve("out/bootstrap.zip.intoto.json")))
                .isEqualTo(Files.readAllBytes(ProvenanceStatement.pathFor(zip)));
        assertThat(
                        ProvenanceStatement.checkBeside(
                                repo.resolve("out/bootstrap.zip"), value(up, "file-sha256")))
                .isPresent();
        // the chain so far lands beside them: build = statement subject, the artifact's digest, the
        // zip's own
        scorerci.provenance.DigestChain chain =
                scorerci.provenance.DigestChain.of(
                        repo.resolve("out/bootstrap.zip"), value(up, "file-sha256"));
        assertThat(chain.build()).isEqualTo(value(up, "file-sha256"));
        assertThat("sha256:" + chain.artifactDigest()).isEqualTo(value(up, "digest"));
        assertThat(chain.artifactMatched()).isTrue();
        assertThat(chain.consistent()).isTrue();

        // a rerun (another attempt: another builder in the statement) with the same zip uploads
        // nothing
        Path rerun = build(repo.resolve("build2"), ArtifactFixtures.lambdaZip(), "101");
        CommandHarness.Result again =
                run("upload-artifact", "--tag", "p", "--file", rerun.toString(), "--store", store);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(value(again, "status")).isEqualTo("unchanged");
    }

    @Test
    void uploadRefusesAStatementAboutOtherBytes() throws Exception {
        Path zip = build(repo.resolve("b"), ArtifactFixtures.lambdaZip(), null);
        Files.copy(
                ArtifactFixtures.lambdaZipVariant(repo.resolve("v"), "other"),
                zip,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CommandHarness.Result up =
                run(
                        "upload-artifact",
                        "--tag",
                        "q",
                        "--file",
                        zip.toString(),
                        "--store",
                        repo.resolve("store").toString());
        assertThat(up.exitCode()).as(up.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(up.err())
                .contains("bootstrap.zip.intoto.json beside " + zip + " is about sha256:")
                .contains("describes another build");
    }

    @Test
    void downloadRefusesATamperedPairAndWritesNothing() throws Exception {
        Path genuine = build(repo.resolve("b"), ArtifactFixtures.lambdaZip(), null);
        Path swapped = ArtifactFixtures.lambdaZipVariant(repo.resolve("v"), "swapped");
        LocalStore store = new LocalStore(repo.resolve("store"));
        store.upload(
                "rust-scorer-t.zip",
                null,
                out ->
                        OuterZip.write(
                                OuterZip.inspect(swapped),
                                List.of(OuterZip.inspect(ProvenanceStatement.pathFor(genuine))),
                                out),
                ProgressMeter.silent());
        CommandHarness.Result down =
                run(
                        "download-artifact",
                        "--tag",
                        "t",
                        "--store",
                        store.root().toString(),
                        "--dest",
                        "out");
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(down.err())
                .contains(
                        "bootstrap.zip.intoto.json beside bootstrap.zip in artifact 'rust-scorer-t.zip' is about");
        assertThat(repo.resolve("out")).doesNotExist();
    }
}
