package scorerci.zip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;

/**
 * verify-zip reads an entry's name from all three places a zip can put it and refuses any
 * disagreement (issue 10): a raw name with a different Unicode Path extra field, a local header
 * that names another file than the central directory, and names with control characters, which
 * would otherwise be printed raw into the log. (Before: verify-zip trusted the Unicode Path field
 * and the central directory, as commons-compress does by default.)
 */
class EntryNameViewsTest {
    @TempDir Path dir;

    /** A zip with a (fake) bootstrap and one more entry, optionally with a Unicode Path field. */
    static byte[] zip(String name, String unicodePath) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            // no EFS (UTF-8) flag, as Info-ZIP writes it: readers that honour the Unicode Path
            // field
            // (commons-compress by default) then take ITS name instead of the raw one
            out.setUseLanguageEncodingFlag(false);
            ZipArchiveEntry bootstrap = new ZipArchiveEntry("bootstrap");
            bootstrap.setUnixMode(0100755);
            out.putArchiveEntry(bootstrap);
            out.write("not an elf".getBytes(StandardCharsets.US_ASCII));
            out.closeArchiveEntry();
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setUnixMode(0100644);
            if (unicodePath != null)
                e.addExtraField(
                        new UnicodePathExtraField(
                                unicodePath, name.getBytes(StandardCharsets.UTF_8)));
            out.putArchiveEntry(e);
            out.write("data".getBytes(StandardCharsets.US_ASCII));
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /**
     * Replaces the FIRST occurrence of {@code from} (the local header's name) with {@code to}, same
     * length.
     */
    static byte[] patchLocalName(byte[] zip, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + f.length <= zip.length; i++) {
            for (int j = 0; j < f.length; j++) if (zip[i + j] != f[j]) continue outer;
            byte[] copy = zip.clone();
            System.arraycopy(t, 0, copy, i, t.length);
            return copy;
        }
        throw new AssertionError(from + " not found");
    }

    private CommandHarness.Result verify(byte[] zip) throws Exception {
        Path file = Files.write(dir.resolve("x.zip"), zip);
        return CommandHarness.create().workDir(dir).run("verify-zip", file.toString());
    }

    private static void assertRefused(CommandHarness.Result r, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(r.err()).as(r.toString()).contains(fragments);
        assertThat(r.err().lines().filter(l -> l.startsWith("error: ")))
                .as(r.toString())
                .hasSize(1);
    }

    @Test
    void aZipSlipNameHiddenBehindASafeUnicodePathIsRefused() throws Exception {
        assertRefused(verify(zip("../evil", "safe.txt")), "'../evil'", "zip slip");
    }

    @Test
    void aUnicodePathNamingAnotherFileIsRefused() throws Exception {
        assertRefused(
                verify(zip("a.txt", "b.txt")), "'a.txt'", "Unicode Path extra field says 'b.txt'");
    }

    @Test
    void aLocalHeaderNamingAnotherFileIsRefused() throws Exception {
        byte[] patched = patchLocalName(zip("aaaa.txt", null), "aaaa.txt", "../a.txt");
        assertRefused(
                verify(patched),
                "'aaaa.txt' in the central directory but '../a.txt' in its local header");
    }

    @Test
    void controlCharactersInNamesAreRefusedAndNeverPrintedRaw() throws Exception {
        CommandHarness.Result r = verify(zip("x\n::warning::pwned\u001b[31m", null));
        assertRefused(r, "contains U+000A", "x\\n::warning::pwned\\x1b[31m");
        assertThat((r.out() + r.err()).lines())
                .noneMatch(l -> l.stripLeading().startsWith("::warning"));
        assertThat(r.out() + r.err()).doesNotContain("\u001b");
    }

    @Test
    void theWriterAppliesTheSameRule() {
        assertThat(EntryNames.problem("a\u2028b")).contains("U+2028");
        assertThat(EntryNames.problem("dir/../../x")).contains("zip slip");
        assertThat(EntryNames.problem("C:x")).contains("absolute");
        assertThat(EntryNames.problem("collector.yaml")).isNull();
    }
}
