package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.artifacts.store.LocalStore;
import scorerci.core.Digests;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.net.ProgressMeter;
import scorerci.zip.OuterZip;
import scorerci.zip.StreamingUnzip;

/**
 * The streaming extractor: what it extracts agrees with what a central-directory reader would, and
 * every disagreement between the local headers and the central directory is refused.
 */
class StreamingUnzipTest {
    @TempDir Path dir;

    private final List<String> digestChecks = new ArrayList<>();

    private StreamingUnzip.Result extract(byte[] zip, long maxBytes, int tailCap)
            throws IOException {
        Path into = dir.resolve("content");
        if (Files.exists(into))
            LocalStore.deleteTree(into); // every attempt starts empty, as in ArtifactDownload
        Files.createDirectories(into);
        return StreamingUnzip.extract(
                new ByteArrayInputStream(zip),
                into,
                maxBytes,
                tailCap,
                (size, sha) -> digestChecks.add(size + ":" + sha));
    }

    private StreamingUnzip.Result extract(byte[] zip) throws IOException {
        return extract(zip, 1L << 30, StreamingUnzip.TAIL_CAP);
    }

    @Test
    void ourWrapperAndADeflatedZipWithDataDescriptorsStreamWithoutFallback() throws Exception {
        Path inner = ArtifactFixtures.randomFile(dir.resolve("in/bootstrap.zip"), 3 << 20, 7);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        OuterZip.write(OuterZip.inspect(inner), ours);
        StreamingUnzip.Result r = extract(ours.toByteArray());
        assertThat(r.fellBack()).isFalse();
        assertThat(r.files()).containsExactly(Path.of("bootstrap.zip"));
        assertThat(Files.readAllBytes(dir.resolve("content/bootstrap.zip")))
                .isEqualTo(Files.readAllBytes(inner));
        assertThat(digestChecks).containsExactly(ours.size() + ":" + sha256(ours.toByteArray()));

        // what the official client's zip library writes to a stream: DEFLATED, data descriptors, a
        // directory
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(theirs)) {
            zip.putArchiveEntry(new ZipArchiveEntry("sub/"));
            zip.closeArchiveEntry();
            for (String name : List.of("sub/a.txt", "b.txt")) {
                ZipArchiveEntry e = new ZipArchiveEntry(name);
                e.setUnixMode(0100644);
                zip.putArchiveEntry(e);
                zip.write(("hello " + name).repeat(1000).getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        StreamingUnzip.Result d = extract(theirs.toByteArray());
        assertThat(d.fellBack()).isFalse();
        assertThat(d.files()).containsExactly(Path.of("sub/a.txt"), Path.of("b.txt"));
        assertThat(Files.readString(dir.resolve("content/b.txt")))
                .isEqualTo("hello b.txt".repeat(1000));
    }

    @Test
    void zip64RecordsAreReadFromTheTail() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.setUseZip64(org.apache.commons.compress.archivers.zip.Zip64Mode.Always);
            for (String name : List.of("one.txt", "two.txt")) {
                zip.putArchiveEntry(new ZipArchiveEntry(name));
                zip.write(name.repeat(100).getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        StreamingUnzip.Result r = extract(bytes.toByteArray());
        assertThat(r.fellBack()).isFalse();
        assertThat(r.files()).containsExactly(Path.of("one.txt"), Path.of("two.txt"));
        assertThat(Files.readString(dir.resolve("content/two.txt")))
                .isEqualTo("two.txt".repeat(100));
    }

    @Test
    void aFileThatIsAlsoADirectoryIsRefused() throws Exception {
        RawZip zip = new RawZip();
        zip.central("a", "x", zip.local("a", "x"), 0100644);
        zip.central("a/b", "y", zip.local("a/b", "y"), 0100644);
        assertRefused(zip.finish(), "'a' is both a file and a directory");
    }

    @Test
    void aSymlinkMarkedOnlyInTheCentralDirectoryIsRefusedAfterTheDigestCheck() throws Exception {
        RawZip zip = new RawZip();
        long at = zip.local("bootstrap.zip", "/etc/passwd");
        zip.central(
                "bootstrap.zip", "/etc/passwd", at, 0120777); // the local header cannot say "link"
        assertRefused(zip.finish(), "entry 'bootstrap.zip' is a symbolic link");
        assertThat(digestChecks).hasSize(1);
    }

    @Test
    void aFifoOrDeviceInTheCentralDirectoryIsRefused() throws Exception {
        RawZip zip = new RawZip();
        long at = zip.local("pipe", "x");
        zip.central("pipe", "x", at, 0010644);
        assertRefused(zip.finish(), "is not a regular file");
    }

    @Test
    void anEntryReachableOnlyThroughTheCentralDirectoryIsRefused() throws Exception {
        // "hidden.txt" is a complete local entry INSIDE the stored data of "cover.bin": a stream
        // reader never sees it, a central-directory reader (unzip, Lambda) would extract it
        RawZip inner = new RawZip();
        inner.local("hidden.txt", "surprise");
        byte[] hidden = inner.localBytes();
        RawZip zip = new RawZip();
        long cover = zip.local("cover.bin", hidden);
        zip.central("cover.bin", hidden, cover, 0100644);
        zip.central("hidden.txt", "surprise", cover + 30 + "cover.bin".length(), 0100644);
        assertRefused(
                zip.finish(),
                "central directory lists 2 entries but the archive holds 1 local entries");
    }

    @Test
    void aCentralDirectoryPointingElsewhereIsRefused() throws Exception {
        RawZip zip = new RawZip();
        long a = zip.local("a.txt", "aaaa");
        zip.local("b.txt", "bbbb");
        zip.central("a.txt", "aaaa", a, 0100644);
        zip.central("b.txt", "bbbb", a, 0100644); // both at the first local header
        assertRefused(zip.finish(), "points at offset 0 where no local entry starts");
    }

    @Test
    void aCentralDirectoryWithOtherNamesSizesOrCrcsIsRefused() throws Exception {
        RawZip renamed = new RawZip();
        long at = renamed.local("a.txt", "content");
        renamed.central("b.txt", "content", at, 0100644);
        assertRefused(renamed.finish(), "entry 'a.txt' is named 'b.txt' in the central directory");

        RawZip resized = new RawZip();
        at = resized.local("a.txt", "content");
        resized.central("a.txt", "content and more", at, 0100644);
        assertRefused(resized.finish(), "the central directory records 16 bytes");
    }

    @Test
    void theExtractedSizeCapIsEnforcedWhileStreamingWhateverTheHeadersSay() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bomb)) {
            zip.putArchiveEntry(new ZipArchiveEntry("zeros"));
            zip.write(new byte[4 << 20]); // 4 MiB of zeros deflate to a few KiB
            zip.closeArchiveEntry();
        }
        assertThatThrownBy(() -> extract(bomb.toByteArray(), 1 << 20, StreamingUnzip.TAIL_CAP))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("exceeds 1048576 bytes");
        assertThat(digestChecks).as("the digest is still checked first").hasSize(1);
        assertThat(Files.size(dir.resolve("content/zeros"))).isLessThanOrEqualTo(1 << 20);
    }

    @Test
    void aCentralDirectoryLargerThanTheTailBufferFallsBack() throws Exception {
        RawZip zip = new RawZip();
        for (int i = 0; i < 20; i++) {
            String name = "file-" + i + ".txt";
            zip.central(name, "x" + i, zip.local(name, "x" + i), 0100644);
        }
        StreamingUnzip.Result r = extract(zip.finish(), 1L << 30, 256);
        assertThat(r.fellBack()).isTrue();
        assertThat(r.fallback()).contains("256-byte tail buffer");
    }

    @Test
    void aFailingBodyIsRethrownForARetryAndAShortOneIsADigestMismatch() throws Exception {
        RawZip zip = new RawZip();
        zip.central("a.txt", "x".repeat(5000), zip.local("a.txt", "x".repeat(5000)), 0100644);
        byte[] bytes = zip.finish();
        IOException reset = new IOException("connection reset");
        InputStream failing =
                new InputStream() {
                    private final InputStream in = new ByteArrayInputStream(bytes, 0, 3000);

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b < 0) throw reset;
                        return b;
                    }
                };
        assertThatThrownBy(
                        () ->
                                StreamingUnzip.extract(
                                        failing,
                                        Files.createDirectories(dir.resolve("c1")),
                                        1L << 30,
                                        StreamingUnzip.TAIL_CAP,
                                        (size, sha) -> digestChecks.add("called")))
                .isSameAs(reset);
        assertThat(digestChecks).as("a transport failure is retried, not judged").isEmpty();

        // cut without an error (no Content-Length to compare): the digest names the problem
        byte[] cut = java.util.Arrays.copyOf(bytes, 3000);
        assertThatThrownBy(
                        () ->
                                StreamingUnzip.extract(
                                        new ByteArrayInputStream(cut),
                                        Files.createDirectories(dir.resolve("c2")),
                                        1L << 30,
                                        StreamingUnzip.TAIL_CAP,
                                        (size, sha) -> {
                                            throw PipelineException.verification(
                                                    "digest mismatch: " + size + " bytes");
                                        }))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("digest mismatch: 3000 bytes");
    }

    @Test
    void theDownloadStageFallsBackToTheTempFileAndStillRefusesLinks(@TempDir Path work)
            throws Exception {
        LocalStore store = new LocalStore(work.resolve("store"));
        RawZip good = new RawZip();
        for (int i = 0; i < 20; i++) {
            String name = "f" + i + ".txt";
            good.central(name, "v" + i, good.local(name, "v" + i), 0100644);
        }
        byte[] goodBytes = good.finish();
        store.upload("many", null, out -> out.write(goodBytes), ProgressMeter.silent());
        RawZip link = new RawZip();
        link.central(
                "bootstrap.zip",
                "/etc/passwd",
                link.local("bootstrap.zip", "/etc/passwd"),
                0120777);
        byte[] linkBytes = link.finish();
        store.upload("link", null, out -> out.write(linkBytes), ProgressMeter.silent());

        ArtifactDownload small =
                new ArtifactDownload(store, Log.silent(), n -> ProgressMeter.silent(), 128);
        ArtifactDownload.Outcome o =
                small.run(
                        new ArtifactDownload.Request("many", work.resolve("out"), false, 1 << 20));
        assertThat(o.files()).hasSize(20);
        assertThat(Files.readString(work.resolve("out/f7.txt"))).isEqualTo("v7");

        for (ArtifactDownload stage :
                List.of(
                        small,
                        new ArtifactDownload(store, Log.silent(), n -> ProgressMeter.silent()))) {
            assertThatThrownBy(
                            () ->
                                    stage.run(
                                            new ArtifactDownload.Request(
                                                    "link", work.resolve("dest"), false, 1 << 20)))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("is a symbolic link")
                    .extracting(e -> ((PipelineException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION);
            assertThat(work.resolve("dest")).doesNotExist();
            try (var left = Files.list(work)) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.startsWith(".download-artifact-"));
            }
        }
    }

    private void assertRefused(byte[] zip, String message) {
        assertThatThrownBy(() -> extract(zip))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("refusing the artifact")
                .hasMessageContaining(message)
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.VERIFICATION);
    }

    private static String sha256(byte[] bytes) {
        return Digests.hex(Digests.sha256().digest(bytes));
    }

    /** A hand-written zip (STORED, no extras), so the central directory can say anything. */
    static final class RawZip {
        private final ByteArrayOutputStream local = new ByteArrayOutputStream();
        private final ByteArrayOutputStream central = new ByteArrayOutputStream();
        private int entries;

        long local(String name, String data) {
            return local(name, data.getBytes(StandardCharsets.UTF_8));
        }

        long local(String name, byte[] data) {
            long offset = local.size();
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = le(30 + n.length);
            h.putInt(0x04034b50)
                    .putShort((short) 20)
                    .putShort((short) 0x0800)
                    .putShort((short) 0)
                    .putInt(0)
                    .putInt((int) crc(data))
                    .putInt(data.length)
                    .putInt(data.length)
                    .putShort((short) n.length)
                    .putShort((short) 0)
                    .put(n);
            local.writeBytes(h.array());
            local.writeBytes(data);
            return offset;
        }

        void central(String name, String data, long offset, int unixMode) {
            central(name, data.getBytes(StandardCharsets.UTF_8), offset, unixMode);
        }

        void central(String name, byte[] data, long offset, int unixMode) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = le(46 + n.length);
            h.putInt(0x02014b50)
                    .putShort((short) (3 << 8 | 20))
                    .putShort((short) 20)
                    .putShort((short) 0x0800)
                    .putShort((short) 0)
                    .putInt(0)
                    .putInt((int) crc(data))
                    .putInt(data.length)
                    .putInt(data.length)
                    .putShort((short) n.length)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putInt(unixMode << 16)
                    .putInt((int) offset)
                    .put(n);
            central.writeBytes(h.array());
            entries++;
        }

        byte[] localBytes() {
            return local.toByteArray();
        }

        byte[] finish() {
            ByteBuffer end = le(22);
            end.putInt(0x06054b50)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) entries)
                    .putShort((short) entries)
                    .putInt(central.size())
                    .putInt(local.size())
                    .putShort((short) 0);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(local.toByteArray());
            all.writeBytes(central.toByteArray());
            all.writeBytes(end.array());
            return all.toByteArray();
        }

        private static ByteBuffer le(int size) {
            return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }

        private static long crc(byte[] data) {
            CRC32 crc = new CRC32();
            crc.update(data);
            return crc.getValue();
        }
    }
}
