package scorerci.packaging;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scorerci.fakes.AlbEvents;
import scorerci.fakes.LambdaRuntimeApi;
import scorerci.process.ExternalProcess;
import scorerci.testing.CommandHarness;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * The whole path a user takes: `build-zip` builds the real scorer/ crate for aarch64 with the
 * machine's real toolchain, packages and verifies it; the zip is unpacked as Lambda does and its
 * bootstrap runs under qemu-aarch64-static against the fake Runtime API
 * (scorerci.fakes.LambdaRuntimeApi: the real one exists only inside Lambda), answering ALB events
 * for /health and a score request.
 */
@Tag("slow") // cross-builds the real scorer for aarch64 (shared scorer/target) and runs it under
// qemu: not in scripts/run-tests.sh --fast
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BuildZipEndToEndTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private CommandHarness.Result buildZip(Path out, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of("build-zip", "--out", out.toString(), "--tag", "e2e"));
        args.addAll(List.of(more));
        return CommandHarness.create().workDir(REPO).run(args.toArray(String[]::new));
    }

    @Test
    void buildsVerifiesAndRunsTheRealScorerUnderQemu() throws Exception {
        Path zip = dir.resolve("first/bootstrap.zip");
        Path output = dir.resolve("github_output");
        CommandHarness.Result result =
                CommandHarness.create()
                        .workDir(REPO)
                        .env("GITHUB_OUTPUT", output.toString())
                        .run("build-zip", "--out", zip.toString(), "--tag", "e2e");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("zip:          " + zip)
                .contains("machine:      aarch64")
                .contains("artifact:     rust-scorer-e2e.zip");
        assertThat(Files.readString(output))
                .contains("artifact-name=rust-scorer-e2e.zip")
                .contains("zip-path=" + zip)
                .containsPattern("code-sha256=[A-Za-z0-9+/]{43}=\n");

        // verified independently, with the includes the crate declares
        VerifiedZip verified =
                ZipVerifier.verify(
                        zip,
                        ZipRules.defaults()
                                .withRequiredEntries(List.of("collector.yaml", "weights.json")));
        assertThat(verified.entries())
                .containsExactly("bootstrap", "collector.yaml", "weights.json");
        assertThat(verified.machine()).isEqualTo("aarch64");
        assertThat(verified.highestGlibc()).isNotEqualTo("none");

        JsonNode manifest = JSON.readTree(zip.resolveSibling("bootstrap.zip.json").toFile());
        assertThat(manifest.path("sha256").asText()).isEqualTo(verified.sha256Hex());
        assertThat(manifest.path("codeSha256").asText()).isEqualTo(verified.codeSha256());
        assertThat(manifest.path("artifactName").asText()).isEqualTo("rust-scorer-e2e.zip");
        assertThat(manifest.path("target").asText()).startsWith("aarch64-unknown-linux-gnu");
        assertThat(manifest.path("toolchainVersions").path("rustc").asText()).startsWith("rustc ");

        // reproducible: a second build elsewhere gives the same bytes; a rerun keeps the zip
        Path again = dir.resolve("second/bootstrap.zip");
        assertThat(buildZip(again).exitCode()).isZero();
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(zip));
        CommandHarness.Result rerun = buildZip(zip);
        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.err()).contains("inputs unchanged");

        // SOURCE_DATE_EPOCH stamps the entries: different bytes, recorded in the manifest
        Path stamped = dir.resolve("stamped/bootstrap.zip");
        CommandHarness.Result sde =
                CommandHarness.create()
                        .workDir(REPO)
                        .env("SOURCE_DATE_EPOCH", "1700000000")
                        .run("build-zip", "--out", stamped.toString(), "--tag", "e2e");
        assertThat(sde.exitCode()).as(sde.toString()).isZero();
        assertThat(Files.readAllBytes(stamped)).isNotEqualTo(Files.readAllBytes(zip));
        assertThat(
                        JSON.readTree(stamped.resolveSibling("bootstrap.zip.json").toFile())
                                .path("timestamp")
                                .asText())
                .isEqualTo("2023-11-14T22:13:20Z");

        // unpack like Lambda (modes kept) and run bootstrap against the Runtime API
        Path task = Files.createDirectory(dir.resolve("task"));
        assertThat(
                        ExternalProcess.of("unzip", "-q", zip.toString(), "-d", task.toString())
                                .run()
                                .ok())
                .isTrue();
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(task.resolve("bootstrap"))))
                .isEqualTo("rwxr-xr-x");
        runUnderQemu(task, dir.resolve("bootstrap.log"));
    }

    /**
     * Runs task/bootstrap under qemu against the fake Runtime API and checks /health and a score.
     */
    static void runUnderQemu(Path task, Path logFile) throws Exception {
        try (LambdaRuntimeApi api = LambdaRuntimeApi.start()) {
            ProcessBuilder builder =
                    new ProcessBuilder(
                                    "qemu-aarch64-static",
                                    "-L",
                                    "/usr/aarch64-linux-gnu",
                                    task.resolve("bootstrap").toString())
                            .directory(task.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(logFile.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            builder.environment().putAll(api.environment(task));
            Process bootstrap = builder.start();
            try {
                AlbEvents.Response health =
                        AlbEvents.response(api.invoke(AlbEvents.health()).get(60, SECONDS));
                assertThat(health.statusCode()).as(log(logFile)).isEqualTo(200);
                assertThat(health.body()).isEqualTo("OK");

                String stamps =
                        """
                        [{"provider": "Github", "nullifiers": ["n1"], "expiration_date": "2099-01-01T00:00:00Z"},
                         {"provider": "Google", "nullifiers": ["n2"], "expiration_date": "2099-01-01T00:00:00Z"},
                         {"provider": "Discord", "nullifiers": ["n1"], "expiration_date": "2099-01-01T00:00:00Z"},
                         {"provider": "Linkedin", "nullifiers": ["n3"], "expiration_date": "2001-01-01T00:00:00Z"}]
                        """;
                String address = "0x" + "ab".repeat(20);
                AlbEvents.Response score =
                        AlbEvents.response(
                                api.invoke(AlbEvents.score("335", address, stamps))
                                        .get(60, SECONDS));
                assertThat(score.statusCode()).as(score.body()).isEqualTo(200);
                JsonNode body = score.json();
                assertThat(body.path("score").asText())
                        .isEqualTo("12.25000"); // Github 10 + Google 2.25
                assertThat(body.path("threshold").asText()).isEqualTo("15.00000");
                assertThat(body.path("passing_score").asBoolean(true)).isFalse();
                assertThat(body.path("stamps").path("Github").path("score").asText())
                        .isEqualTo("10.00000");
                assertThat(body.path("stamps").path("Discord").path("dedup").asBoolean()).isTrue();
                assertThat(body.path("last_score_timestamp").asText()).isNotBlank();

                AlbEvents.Response bad =
                        AlbEvents.response(
                                api.invoke(AlbEvents.score("335", "0xnothex", stamps))
                                        .get(60, SECONDS));
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.json().path("error").asText()).contains("invalid address");
                assertThat(bootstrap.isAlive()).as("bootstrap keeps serving").isTrue();
            } finally {
                bootstrap.destroyForcibly().waitFor(10, SECONDS);
            }
        }
    }

    static String log(Path logFile) {
        try {
            return Files.readString(logFile);
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    @Test
    void aMissingCrateIsNotFoundAndABadToolchainIsUsage() {
        CommandHarness.Result missing =
                CommandHarness.create().workDir(dir).run("build-zip", "--crate", "nope");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(8);
        assertThat(missing.err()).contains("crate directory").contains("--crate");
        CommandHarness.Result bad =
                CommandHarness.create().workDir(REPO).run("build-zip", "--toolchain", "gradle");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("--toolchain 'gradle' is unknown");
        CommandHarness.Result tag =
                CommandHarness.create().workDir(REPO).run("build-zip", "--tag", "a/b");
        assertThat(tag.exitCode()).isEqualTo(2);
        CommandHarness.Result glibc =
                CommandHarness.create().workDir(REPO).run("build-zip", "--max-glibc", "new");
        assertThat(glibc.exitCode()).isEqualTo(2);
    }

    @Test
    void aTooStrictGlibcLimitFailsVerificationAndLeavesNoZip() throws Exception {
        Path zip = dir.resolve("strict/bootstrap.zip");
        CommandHarness.Result result = buildZip(zip, "--max-glibc", "2.17");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(result.err()).contains("but the limit is 2.17").contains("cargo-zigbuild");
        assertThat(zip).doesNotExist();
        try (var files = Files.list(zip.getParent())) {
            assertThat(files.toList()).as("no temporary files left").isEmpty();
        }
    }
}
