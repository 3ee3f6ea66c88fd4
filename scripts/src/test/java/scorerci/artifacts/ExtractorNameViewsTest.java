package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.PipelineException;
import scorerci.zip.EntryNameViewsTestAccess;
import scorerci.zip.SafeUnzip;
import scorerci.zip.StreamingUnzip;

/**
 * Download's two extractors apply verify-zip's name rule ({@link scorerci.zip.EntryNames}): the
 * file-based one used to trust the Unicode Path extra field (commons-compress's default), so {@code
 * ../evil} dressed as {@code safe.txt} was extracted as safe.txt while unzip and the JDK would
 * write ../evil.
 */
class ExtractorNameViewsTest {
    @TempDir Path dir;

    private static void assertRefused(ThrowingRunnable run, String fragment) {
        assertThatThrownBy(run::run)
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining(fragment);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private Path file(byte[] zip) throws Exception {
        return Files.write(dir.resolve("a" + System.nanoTime() + ".zip"), zip);
    }

    private void bothRefuse(byte[] zip, String fragment) throws Exception {
        Path into = Files.createDirectories(dir.resolve("safe" + System.nanoTime()));
        assertRefused(() -> SafeUnzip.extract(file(zip), into, 1 << 20), fragment);
        Path streamed = Files.createDirectories(dir.resolve("stream" + System.nanoTime()));
        assertRefused(
                () ->
                        StreamingUnzip.extract(
                                new ByteArrayInputStream(zip),
                                streamed,
                                1 << 20,
                                StreamingUnzip.TAIL_CAP,
                                (size, sha) -> {}),
                fragment);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().equals("safe.txt"))).isEmpty();
        }
    }

    @Test
    void zipSlipBehindAUnicodePathIsRefusedByBoth() throws Exception {
        bothRefuse(EntryNameViewsTestAccess.zip("../evil", "safe.txt"), "zip slip");
    }

    @Test
    void aUnicodePathNamingAnotherFileIsRefusedByBoth() throws Exception {
        bothRefuse(EntryNameViewsTestAccess.zip("a.txt", "safe.txt"), "Unicode Path");
    }

    @Test
    void controlCharactersAreRefusedByBoth() throws Exception {
        bothRefuse(EntryNameViewsTestAccess.zip("a\rb", null), "U+000D");
    }

    /**
     * Jazzer's finding (ReadersFuzzTestInputs/.../finding-zstd-method-93): a zstd entry crashed
     * with NoClassDefFoundError.
     */
    @Test
    void anEntryWithAnUnsupportedCompressionMethodIsRefusedNotACrash() throws Exception {
        byte[] finding =
                Files.readAllBytes(
                        Path.of(
                                "scripts/src/test/resources/scorerci/artifacts/ReadersFuzzTestInputs/"
                                        + "readersRefuseOrAcceptButNeverCrash/finding-zstd-method-93"));
        byte[] zip = java.util.Arrays.copyOfRange(finding, 1, finding.length);
        Path streamed = Files.createDirectories(dir.resolve("stream-zstd"));
        assertRefused(
                () ->
                        StreamingUnzip.extract(
                                new ByteArrayInputStream(zip),
                                streamed,
                                1 << 20,
                                StreamingUnzip.TAIL_CAP,
                                (size, sha) -> {}),
                "compression method");
        Path into = Files.createDirectories(dir.resolve("safe-zstd"));
        assertRefused(
                () -> SafeUnzip.extract(file(zip), into, 1 << 20),
                "nothing was written"); // its directory is broken too
    }
}
