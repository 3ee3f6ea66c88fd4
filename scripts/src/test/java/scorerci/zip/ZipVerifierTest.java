package scorerci.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.elf.ElfFixtures;
import scorerci.testing.CommandHarness;

/**
 * Every verification failure, with its message and exit code, through `verify-zip` as a user runs
 * it (in-process) and through the ZipVerifier API that other commands call. The bootstraps are real
 * binaries compiled by the test.
 */
class ZipVerifierTest {
    @TempDir static Path bins;
    static Path arm;
    static Path x86;
    static Path armNewGlibc;

    @TempDir Path dir;

    @BeforeAll
    static void compile() throws Exception {
        arm = ElfFixtures.aarch64(bins, "arm", ElfFixtures.HELLO);
        x86 = ElfFixtures.x86_64(bins, "x86", ElfFixtures.HELLO);
        armNewGlibc = ElfFixtures.aarch64(bins, "arc4", ElfFixtures.NEEDS_GLIBC_236);
    }

    /** One entry of a hand-made zip. */
    record Entry(String name, int mode, byte[] data, boolean symlink) {
        static Entry file(String name, int mode, byte[] data) {
            return new Entry(name, mode, data, false);
        }

        static Entry file(String name, int mode, Path data) throws Exception {
            return file(name, mode, Files.readAllBytes(data));
        }
    }

    private Path zip(String fileName, Entry... entries) throws Exception {
        Path zip = dir.resolve(fileName);
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                entry.setUnixMode(e.symlink() ? 0120777 : e.mode());
                out.putArchiveEntry(entry);
                out.write(e.data());
                out.closeArchiveEntry();
            }
        }
        return zip;
    }

    private Path goodZip() throws Exception {
        Path collector = Files.writeString(dir.resolve("collector.yaml"), "receivers: {}\n");
        Path zip = dir.resolve("good.zip");
        LambdaZipWriter.withDosEpoch()
                .write(zip, arm, List.of(new ZipInput("collector.yaml", collector)));
        return zip;
    }

    private CommandHarness.Result verifyZip(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "verify-zip";
        System.arraycopy(args, 0, all, 1, args.length);
        return CommandHarness.create().workDir(dir).run(all);
    }

    private void assertFails(CommandHarness.Result result, ExitCode code, String... fragments) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(code.code);
        assertThat(result.err().lines().filter(l -> l.startsWith("error: ")))
                .as(result.toString())
                .hasSize(1);
        assertThat(result.err()).as(result.toString()).contains(fragments);
    }

    @Test
    void formatJsonPrintsTheSameRecordAsOneObjectAndStillWritesOutputs() throws Exception {
        Path zip = goodZip();
        Path output = dir.resolve("github_output");
        CommandHarness.Result result =
                CommandHarness.create()
                        .workDir(dir)
                        .env("GITHUB_OUTPUT", output.toString())
                        .run(
                                "verify-zip",
                                "good.zip",
                                "--require",
                                "collector.yaml",
                                "--format",
                                "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        var json =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(result.out()); // stdout is the JSON only
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip));
        assertThat(json.get("zip").asText()).isEqualTo(zip.toString());
        assertThat(json.get("size").asLong()).isEqualTo(Files.size(zip));
        assertThat(json.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sha));
        assertThat(json.get("codeSha256").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(sha));
        assertThat(json.get("machine").asText()).isEqualTo("aarch64");
        assertThat(json.get("glibc").asText()).isEqualTo("2.34");
        assertThat(json.get("entries")).hasSize(2);
        assertThat(Files.readString(output)).contains("sha256=" + HexFormat.of().formatHex(sha));

        CommandHarness.Result bad =
                CommandHarness.create()
                        .workDir(dir)
                        .run("verify-zip", "good.zip", "--format", "yaml");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--format 'yaml' is unknown: use text or json");
    }

    @Test
    void aGoodZipPassesAndItsFactsArePrintedAndOutput() throws Exception {
        Path zip = goodZip();
        Path output = dir.resolve("github_output");
        Path summary = dir.resolve("summary.md");
        CommandHarness.Result result =
                CommandHarness.create()
                        .workDir(dir)
                        .env("GITHUB_OUTPUT", output.toString())
                        .env("GITHUB_STEP_SUMMARY", summary.toString())
                        .run("verify-zip", "good.zip", "--require", "collector.yaml");

        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("sha256:       " + HexFormat.of().formatHex(sha))
                .contains("code-sha256:  " + Base64.getEncoder().encodeToString(sha))
                .contains("machine:      aarch64")
                .contains("glibc:        2.34 (limit 2.34)")
                .contains("entries:      bootstrap, collector.yaml");
        assertThat(Files.readString(output))
                .contains("sha256=" + HexFormat.of().formatHex(sha))
                .contains("code-sha256=" + Base64.getEncoder().encodeToString(sha))
                .contains("size=" + Files.size(zip))
                .contains("zip-path=" + zip);
        assertThat(Files.readString(summary)).contains("| **code-sha256** |");

        VerifiedZip verified =
                ZipVerifier.verify(
                        zip, ZipRules.defaults().withRequiredEntries(List.of("collector.yaml")));
        assertThat(verified.path()).isEqualTo(zip);
        assertThat(verified.size()).isEqualTo(Files.size(zip));
        assertThat(verified.unzippedSize()).isEqualTo(Files.size(arm) + "receivers: {}\n".length());
        assertThat(verified.highestGlibc()).isEqualTo("2.34");
        assertThat(verified.entries()).containsExactly("bootstrap", "collector.yaml");
    }

    @Test
    void anX86BinaryIsTheWrongArchitecture() throws Exception {
        zip("x86.zip", Entry.file("bootstrap", 0100755, x86));
        assertFails(
                verifyZip("x86.zip"),
                ExitCode.VERIFICATION,
                "bootstrap is built for x86_64, but the function runs on arm64",
                "exec format error",
                "aarch64-unknown-linux-gnu");
    }

    @Test
    void aBootstrapWithoutTheExecuteBitIsRefused() throws Exception {
        zip("noexec.zip", Entry.file("bootstrap", 0100644, arm));
        assertFails(
                verifyZip("noexec.zip"),
                ExitCode.VERIFICATION,
                "bootstrap has mode 0644",
                "permission denied",
                "chmod 755");
        zip("owneronly.zip", Entry.file("bootstrap", 0100744, arm));
        assertFails(verifyZip("owneronly.zip"), ExitCode.VERIFICATION, "mode 0744", "another user");
    }

    @Test
    void aZipWithoutBootstrapOrWithItInAFolder() throws Exception {
        zip("none.zip", Entry.file("collector.yaml", 0100644, "x".getBytes()));
        assertFails(
                verifyZip("none.zip"),
                ExitCode.VERIFICATION,
                "no 'bootstrap' entry at its root",
                "Runtime.InvalidEntrypoint");
        zip("nested.zip", Entry.file("dist/bootstrap", 0100755, arm));
        assertFails(
                verifyZip("nested.zip"),
                ExitCode.VERIFICATION,
                "bootstrap is at 'dist/bootstrap'",
                "zip root");
    }

    @Test
    void aGlibcNewerThanAl2023IsRefusedWithTheFix() throws Exception {
        zip("new.zip", Entry.file("bootstrap", 0100755, armNewGlibc));
        assertFails(
                verifyZip("new.zip"),
                ExitCode.VERIFICATION,
                "bootstrap requires GLIBC_2.36 but provided.al2023 has 2.34: build with cargo-zigbuild --target"
                        + " aarch64-unknown-linux-gnu.2.34 or in an Amazon Linux 2023 container (--max-glibc to change the limit)");
        assertThat(verifyZip("new.zip", "--max-glibc", "2.36").exitCode()).isZero();
        assertFails(
                verifyZip("new.zip", "--max-glibc", "2.35"),
                ExitCode.VERIFICATION,
                "requires GLIBC_2.36 but the limit is 2.35");
        assertFails(
                verifyZip("new.zip", "--max-glibc", "latest"),
                ExitCode.USAGE,
                "--max-glibc 'latest'");
    }

    @Test
    void zipsOverLambdasSizeLimitsAreRefused() throws Exception {
        Path zip = goodZip();
        assertThatThrownBy(
                        () -> ZipVerifier.verify(zip, ZipRules.defaults().withMaxZippedBytes(1000)))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("over Lambda's direct-upload limit of 1000 bytes")
                .hasMessageContaining("S3")
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.VERIFICATION);
        assertThatThrownBy(
                        () ->
                                ZipVerifier.verify(
                                        zip,
                                        ZipRules.defaults().withMaxUnzippedBytes(Files.size(arm))))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("unpacks to more than " + Files.size(arm) + " bytes")
                .hasMessageContaining("Unzipped size must be smaller than");
    }

    @Test
    void theRealLimitOf50MiBIsEnforcedOnARealZip() throws Exception {
        // 51 MiB of incompressible bytes next to a valid bootstrap: the default rules refuse it
        byte[] noise = new byte[51 * 1024 * 1024];
        new java.util.Random(42).nextBytes(noise);
        zip(
                "big.zip",
                Entry.file("bootstrap", 0100755, arm),
                Entry.file("noise.bin", 0100644, noise));
        assertFails(
                verifyZip("big.zip"),
                ExitCode.VERIFICATION,
                "over Lambda's direct-upload limit of 52428800 bytes");
    }

    @Test
    void aDeclaredIncludeMustBePresent() throws Exception {
        goodZip();
        assertFails(
                verifyZip("good.zip", "--require", "collector.yaml", "--require", "weights.json"),
                ExitCode.VERIFICATION,
                "declared include 'weights.json' is missing");
    }

    @Test
    void unsafeEntriesAreRefused() throws Exception {
        zip(
                "slip.zip",
                Entry.file("bootstrap", 0100755, arm),
                Entry.file("../../etc/cron.d/x", 0100644, "x".getBytes()));
        assertFails(
                verifyZip("slip.zip"),
                ExitCode.VERIFICATION,
                "'../../etc/cron.d/x' climbs out",
                "zip slip");
        zip(
                "abs.zip",
                Entry.file("bootstrap", 0100755, arm),
                Entry.file("/etc/passwd", 0100644, "x".getBytes()));
        assertFails(
                verifyZip("abs.zip"), ExitCode.VERIFICATION, "'/etc/passwd' has an absolute path");
        zip(
                "link.zip",
                Entry.file("bootstrap", 0100755, arm),
                new Entry("collector.yaml", 0, "/etc/passwd".getBytes(), true));
        assertFails(
                verifyZip("link.zip"),
                ExitCode.VERIFICATION,
                "'collector.yaml' is a symbolic link");
        zip("linkboot.zip", new Entry("bootstrap", 0, "/bin/sh".getBytes(), true));
        assertFails(
                verifyZip("linkboot.zip"), ExitCode.VERIFICATION, "'bootstrap' is a symbolic link");
        zip(
                "dup.zip",
                Entry.file("bootstrap", 0100755, arm),
                Entry.file("bootstrap", 0100755, x86));
        assertFails(verifyZip("dup.zip"), ExitCode.VERIFICATION, "'bootstrap' appears twice");
        zip(
                "private.zip",
                Entry.file("bootstrap", 0100755, arm),
                Entry.file("weights.json", 0100600, "{}".getBytes()));
        assertFails(
                verifyZip("private.zip"),
                ExitCode.VERIFICATION,
                "'weights.json' has mode 0600",
                "chmod 644");
    }

    @Test
    void aZipWithoutUnixModesCannotCarryTheExecuteBit() throws Exception {
        Path zip = dir.resolve("windows.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("bootstrap"));
            out.write(Files.readAllBytes(arm));
            out.closeEntry();
        }
        assertFails(
                verifyZip("windows.zip"),
                ExitCode.VERIFICATION,
                "bootstrap has no Unix permissions");
    }

    @Test
    void aScriptOrGarbageIsNotAnElf() throws Exception {
        zip(
                "script.zip",
                Entry.file(
                        "bootstrap",
                        0100755,
                        "#!/bin/sh\nexec ./app\n".getBytes(StandardCharsets.UTF_8)));
        assertFails(
                verifyZip("script.zip"),
                ExitCode.VERIFICATION,
                "bootstrap is not a valid ELF executable",
                "script starting with #!");
    }

    @Test
    void notAZipMissingFileAndDirectory() throws Exception {
        Files.writeString(dir.resolve("notes.zip"), "this is not a zip");
        assertFails(verifyZip("notes.zip"), ExitCode.VERIFICATION, "is not a readable zip archive");
        assertFails(verifyZip("nowhere.zip"), ExitCode.NOT_FOUND, "nowhere.zip does not exist");
        Files.createDirectory(dir.resolve("folder"));
        assertFails(verifyZip("folder"), ExitCode.USAGE, "is not a regular file");
        assertFails(verifyZip(), ExitCode.USAGE, "PATH");
    }

    @Test
    void aCorruptEntryIsCaughtByItsCrc() throws Exception {
        Path zip = goodZip();
        byte[] bytes = Files.readAllBytes(zip);
        // flip a byte inside bootstrap's compressed data (just after its 39-byte local header)
        bytes[200] ^= 0x55;
        Path broken = dir.resolve("broken.zip");
        try (OutputStream out = Files.newOutputStream(broken)) {
            out.write(bytes);
        }
        CommandHarness.Result result = verifyZip("broken.zip");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.VERIFICATION.code);
    }
}
