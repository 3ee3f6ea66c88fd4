package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.artifacts.ArtifactFixtures.value;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;

/** Outside Actions: the same commands against a local store directory, with the same rules. */
class LocalStoreTest {
    @TempDir Path repo;

    private CommandHarness local() {
        return CommandHarness.create().workDir(repo);
    }

    @Test
    void buildUploadDownloadRunsLocallyInTheDefaultStoreAtTheRepositoryRoot() throws Exception {
        Files.createDirectories(repo.resolve(".git"));
        Path sub = Files.createDirectories(repo.resolve("scripts"));
        Path zip =
                Files.createDirectories(repo.resolve("scorer/target/lambda/rust-scorer"))
                        .resolve("bootstrap.zip");
        Files.copy(ArtifactFixtures.lambdaZip(), zip);

        CommandHarness.Result up = local().run("upload-artifact", "--tag", "dev1");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(value(up, "store")).isEqualTo("local store " + repo.resolve(".artifact-store"));
        assertThat(repo.resolve(".artifact-store/rust-scorer-dev1.zip/artifact.zip")).exists();

        // from a subdirectory the defaults are the repository's: its rust-scorer-artifact/, not
        // sub's
        CommandHarness.Result down =
                CommandHarness.create().workDir(sub).run("download-artifact", "--tag", "dev1");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(Files.readAllBytes(repo.resolve("rust-scorer-artifact/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(zip));
        assertThat(sub.resolve("rust-scorer-artifact")).doesNotExist();
        assertThat(value(down, "digest")).isEqualTo(value(up, "digest"));
        assertThat(down.out()).doesNotContain("::"); // no workflow commands outside Actions
    }

    @Test
    void immutabilityAndIfExistsBehaveAsOnGithub() throws Exception {
        Path zip = ArtifactFixtures.lambdaZip();
        Path other = ArtifactFixtures.lambdaZipVariant(repo.resolve("other"), "v2");
        String store = repo.resolve("store").toString();
        assertThat(
                        local().run(
                                        "upload-artifact",
                                        "--tag",
                                        "a",
                                        "--file",
                                        zip.toString(),
                                        "--store",
                                        store)
                                .exitCode())
                .isZero();

        CommandHarness.Result same =
                local().run(
                                "upload-artifact",
                                "--tag",
                                "a",
                                "--file",
                                zip.toString(),
                                "--store",
                                store);
        assertThat(value(same, "status")).isEqualTo("unchanged");

        CommandHarness.Result conflict =
                local().run(
                                "upload-artifact",
                                "--tag",
                                "a",
                                "--file",
                                other.toString(),
                                "--store",
                                store);
        assertThat(conflict.exitCode()).isEqualTo(ExitCode.CONFLICT.code);
        assertThat(conflict.err()).contains("different content");

        CommandHarness.Result replaced =
                local().run(
                                "upload-artifact",
                                "--tag",
                                "a",
                                "--file",
                                other.toString(),
                                "--store",
                                store,
                                "--if-exists",
                                "overwrite");
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        assertThat(value(replaced, "status")).isEqualTo("replaced");

        CommandHarness.Result down =
                local().run("download-artifact", "--tag", "a", "--store", store, "--dest", "out");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(Files.readAllBytes(repo.resolve("out/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(other));
        try (var entries = Files.list(repo.resolve("store"))) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactly("rust-scorer-a.zip");
        }
    }

    @Test
    void uploadDryRunChecksTheZipAndShowsTheExactArtifactWithoutStoringIt() throws Exception {
        Path store = repo.resolve("dry-store");
        String zip = ArtifactFixtures.lambdaZip().toString();
        java.util.function.Function<String[], CommandHarness.Result> upload =
                extra -> {
                    List<String> args =
                            new ArrayList<>(
                                    List.of(
                                            "upload-artifact",
                                            "--tag",
                                            "d",
                                            "--file",
                                            zip,
                                            "--store",
                                            store.toString(),
                                            "--format",
                                            "json"));
                    args.addAll(List.of(extra));
                    return local().run(args.toArray(String[]::new));
                };
        CommandHarness.Result dry = upload.apply(new String[] {"--dry-run"});
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        var planned = new ObjectMapper().readTree(dry.out());
        assertThat(planned.get("status").asText()).isEqualTo("dry-run");
        assertThat(planned.get("artifactId").asLong()).isZero();
        assertThat(dry.err()).contains("verifies as a Lambda zip", "nothing was uploaded");
        assertThat(store).doesNotExist();

        CommandHarness.Result real = upload.apply(new String[] {});
        assertThat(real.exitCode()).as(real.toString()).isZero();
        var uploaded = new ObjectMapper().readTree(real.out());
        // what the dry run showed is exactly what was stored
        for (String field : new String[] {"artifactName", "size", "digest", "fileSha256"}) {
            assertThat(uploaded.get(field)).as(field).isEqualTo(planned.get(field));
        }

        Path notALambdaZip = Files.writeString(repo.resolve("bootstrap.zip"), "not a zip");
        CommandHarness.Result refused =
                local().run(
                                "upload-artifact",
                                "--tag",
                                "x",
                                "--file",
                                notALambdaZip.toString(),
                                "--store",
                                store.toString(),
                                "--dry-run");
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(store.resolve("rust-scorer-x.zip")).doesNotExist();
    }

    @Test
    void uploadAndDownloadWithFormatJsonPrintTheirRecordsOnly() throws Exception {
        String store = repo.resolve("store").toString();
        CommandHarness.Result up =
                local().run(
                                "upload-artifact",
                                "--tag",
                                "j",
                                "--file",
                                ArtifactFixtures.lambdaZip().toString(),
                                "--store",
                                store,
                                "--format",
                                "json");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        var uploaded = new com.fasterxml.jackson.databind.ObjectMapper().readTree(up.out());
        assertThat(uploaded.get("status").asText()).isEqualTo("uploaded");
        assertThat(uploaded.get("artifactName").asText()).isEqualTo("rust-scorer-j.zip");
        CommandHarness.Result down =
                local().run(
                                "download-artifact",
                                "--tag",
                                "j",
                                "--store",
                                store,
                                "--dest",
                                "jd",
                                "--format",
                                "json");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        var json =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(down.out()); // nothing else on stdout
        assertThat(json.get("artifactName").asText()).isEqualTo("rust-scorer-j.zip");
        assertThat(json.get("digest").asText()).startsWith("sha256:");
        assertThat(json.get("zipPath").asText())
                .isEqualTo(repo.resolve("jd/bootstrap.zip").toString());
        assertThat(json.get("codeSha256").asText()).isNotBlank();
        assertThat(json.get("files")).isNotEmpty();
    }

    @Test
    void theStoreComesFromTheEnvironmentAndExpiredArtifactsAreNotFound() throws Exception {
        Path store = repo.resolve("elsewhere");
        CommandHarness.Result up =
                local().env("SCORER_ARTIFACT_STORE", store.toString())
                        .run(
                                "upload-artifact",
                                "--tag",
                                "e",
                                "--file",
                                ArtifactFixtures.lambdaZip().toString(),
                                "--retention-days",
                                "1");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        Path meta = store.resolve("rust-scorer-e.zip/artifact.json");
        ObjectNode record = (ObjectNode) new ObjectMapper().readTree(meta.toFile());
        assertThat(record.get("expires_at").asText()).isNotEmpty();
        record.put("expires_at", "2020-01-01T00:00:00Z");
        new ObjectMapper().writeValue(meta.toFile(), record);

        CommandHarness.Result down =
                local().env("SCORER_ARTIFACT_STORE", store.toString())
                        .run("download-artifact", "--tag", "e");
        assertThat(down.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(down.err()).contains("has expired", "upload it again");
        assertThat(repo.resolve("rust-scorer-artifact")).doesNotExist();
    }

    @Test
    void aTamperedStoredArtifactFailsItsDigestCheck() throws Exception {
        String store = repo.resolve("s").toString();
        assertThat(
                        local().run(
                                        "upload-artifact",
                                        "--tag",
                                        "t",
                                        "--file",
                                        ArtifactFixtures.lambdaZip().toString(),
                                        "--store",
                                        store)
                                .exitCode())
                .isZero();
        Path stored = repo.resolve("s/rust-scorer-t.zip/artifact.zip");
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 1;
        Files.write(stored, bytes);
        CommandHarness.Result down =
                local().run("download-artifact", "--tag", "t", "--store", store);
        assertThat(down.exitCode()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(down.err()).contains("digest mismatch");
        assertThat(repo.resolve("rust-scorer-artifact")).doesNotExist();
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(local().run("upload-artifact", "--tag", "x", "--if-exists", "maybe").exitCode())
                .isEqualTo(ExitCode.USAGE.code);
        assertThat(local().run("upload-artifact", "--tag", "x", "--retention-days", "91").err())
                .contains("1 to 90");
        assertThat(local().run("download-artifact", "--tag", "x", "--repo", "a/b").exitCode())
                .isEqualTo(ExitCode.USAGE.code);
        CommandHarness.Result noGit = local().run("upload-artifact");
        assertThat(noGit.exitCode()).isEqualTo(ExitCode.PREREQUISITE.code);
        assertThat(noGit.err()).contains("pass --tag");
    }

    /**
     * The same policy reaches every command with --tag: outside git, GITHUB_SHA names the build
     * (upload and download agree on the artifact name), and without it each exits 3 naming --tag.
     */
    @Test
    void everyCommandWithTagDefaultsTheSameWay() throws Exception {
        Path scratch = repo;
        Path store = scratch.resolve("store");
        String sha = "89abcdef0123456789abcdef0123456789abcdef";
        var up =
                CommandHarness.create()
                        .workDir(scratch)
                        .env("GITHUB_SHA", sha)
                        .run(
                                "upload-artifact",
                                "--file",
                                ArtifactFixtures.lambdaZip().toString(),
                                "--store",
                                store.toString(),
                                "--format",
                                "json");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(new ObjectMapper().readTree(up.out()).get("artifactName").asText())
                .isEqualTo("rust-scorer-89abcde.zip");
        var down =
                CommandHarness.create()
                        .workDir(scratch)
                        .env("GITHUB_SHA", sha)
                        .run("download-artifact", "--store", store.toString());
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.out()).contains("artifact-name: rust-scorer-89abcde.zip");
        String[][] runs = {
            {"upload-artifact", "--store", "store"},
            {"download-artifact", "--store", "store"},
            {"ci", "review", "--skip-tests"},
        };
        for (String[] args : runs) {
            var result = CommandHarness.create().workDir(scratch).run(args);
            assertThat(result.exitCode())
                    .as(String.join(" ", args) + "\n" + result)
                    .isEqualTo(ExitCode.PREREQUISITE.code);
            assertThat(result.err()).as(args[0]).contains("pass --tag TAG");
        }
    }
}
