package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.lambda.LambdaClients;
import scorerci.testing.CommandHarness;

/**
 * Issue 10's "low" cases that used to end as exit 1 "internal error" or with a wrong description.
 */
class ExitCodeCasesTest {
    @TempDir Path dir;

    @Test
    void aRegionWithASemicolonIsAUsageError() {
        assertThatThrownBy(() -> LambdaClients.resolve(Map.of(), "us-west-2;rm -rf", null))
                .isInstanceOfSatisfying(
                        PipelineException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("is not an AWS region name");
        assertThat(LambdaClients.resolve(Map.of(), "eu-central-1", null).region().id())
                .isEqualTo("eu-central-1");
    }

    @Test
    void buildZipOutIntoADirectoryOrADeviceIsAUsageErrorBeforeAnyBuild() throws Exception {
        Path out = Files.createDirectories(dir.resolve("outdir"));
        CommandHarness.Result r =
                CommandHarness.create()
                        .workDir(dir)
                        .run("build-zip", "--crate", "nonexistent", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("is a directory");

        CommandHarness.Result device =
                CommandHarness.create()
                        .workDir(dir)
                        .run("build-zip", "--crate", "nonexistent", "--out", "/dev/full");
        assertThat(device.exitCode()).as(device.toString()).isEqualTo(ExitCode.USAGE.code);
        assertThat(device.err()).contains("special file");
        assertThat(Files.isRegularFile(Path.of("/dev/full")))
                .as("/dev/full is still a device")
                .isFalse();

        Files.createSymbolicLink(dir.resolve("link.zip"), dir.resolve("target.zip"));
        CommandHarness.Result link =
                CommandHarness.create()
                        .workDir(dir)
                        .run("build-zip", "--crate", "nonexistent", "--out", "link.zip");
        assertThat(link.exitCode()).as(link.toString()).isEqualTo(ExitCode.USAGE.code);
        assertThat(link.err()).contains("symbolic link");
    }

    /**
     * A big-endian aarch64 ELF header whose program header table lies past the end (read
     * little-endian it is garbage).
     */
    static byte[] bigEndianElf() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 2, 1, 0});
        b.position(16);
        b.putShort((short) 2)
                .putShort((short) 183)
                .putInt(1)
                .putLong(0x400000)
                .putLong(64)
                .putLong(0)
                .putInt(0)
                .putShort((short) 64)
                .putShort((short) 56)
                .putShort((short) 9)
                .putShort((short) 64)
                .putShort((short) 0)
                .putShort((short) 0);
        return b.array();
    }

    @Test
    void aBigEndianElfIsDescribedAsBigEndianNotAsTruncated() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry e = new ZipArchiveEntry("bootstrap");
            e.setUnixMode(0100755);
            zip.putArchiveEntry(e);
            zip.write(bigEndianElf());
            zip.closeArchiveEntry();
        }
        Path zip = Files.write(dir.resolve("be.zip"), bytes.toByteArray());
        CommandHarness.Result r =
                CommandHarness.create().workDir(dir).run("verify-zip", zip.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(r.err()).contains("64-bit big-endian aarch64 ELF").doesNotContain("truncated");
    }
}
