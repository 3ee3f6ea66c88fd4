package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.Log;
import scorerci.elf.ElfFile;
import scorerci.elf.GlibcVersion;
import scorerci.process.ExternalProcess;
import scorerci.testing.CommandHarness;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * The route GitHub's ubuntu-24.04-arm runner takes (its glibc 2.39 is too new): cargo-zigbuild
 * pinned to aarch64-unknown-linux-gnu.2.30, installed from PyPI by ZigbuildInstaller into the user
 * cache, exactly as build-zip does on such a host. Here on x86_64 it links against the system
 * Rust's aarch64 std. Its own cargo target dir keeps the system route's build intact.
 */
@Tag("slow") // a second aarch64 build of the scorer, with cargo-zigbuild + zig from PyPI: not in
// scripts/run-tests.sh --fast
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class BuildZipZigbuildTest {
    static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir Path dir;

    @Test
    void zigbuildPinnedTo234BuildsAZipThatVerifiesAndRuns() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        Path bin = ZigbuildInstaller.ensure(env, Log.silent());
        assertThat(bin.resolve("cargo-zigbuild")).isExecutable();

        Path zip = dir.resolve("zig/bootstrap.zip");
        CommandHarness.Result result =
                CommandHarness.create()
                        .workDir(REPO)
                        .env("PATH", bin + ":" + System.getenv("PATH"))
                        .env("CARGO_TARGET_DIR", REPO.resolve("scorer/target/zigbuild").toString())
                        .run(
                                "build-zip",
                                "--toolchain",
                                "zigbuild",
                                "--out",
                                zip.toString(),
                                "--tag",
                                "zig");
        assertThat(result.exitCode()).as(result.toString()).isZero();

        JsonNode manifest =
                new ObjectMapper().readTree(zip.resolveSibling("bootstrap.zip.json").toFile());
        assertThat(manifest.path("toolchain").asText()).isEqualTo("zigbuild");
        assertThat(manifest.path("target").asText()).isEqualTo("aarch64-unknown-linux-gnu.2.30");
        assertThat(manifest.path("toolchainVersions").path("cargo-zigbuild").asText())
                .contains("0.24.1");

        ZipVerifier.verify(
                zip,
                ZipRules.defaults().withRequiredEntries(List.of("collector.yaml", "weights.json")));
        Path task = Files.createDirectory(dir.resolve("task"));
        assertThat(
                        ExternalProcess.of("unzip", "-q", zip.toString(), "-d", task.toString())
                                .run()
                                .ok())
                .isTrue();
        GlibcVersion highest = ElfFile.read(task.resolve("bootstrap")).highestGlibc().orElseThrow();
        assertThat(highest)
                .isLessThanOrEqualTo(GlibcVersion.parse("2.30")); // cargo-lambda's floor (issue 15)
        BuildZipEndToEndTest.runUnderQemu(task, dir.resolve("bootstrap.log"));
    }
}
