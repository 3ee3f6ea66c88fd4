package scorerci.zip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipExtraField;
import scorerci.core.OutsideText;

/**
 * The one rule for zip entry names, used by the writer ({@link LambdaZipWriter}), the verifier
 * ({@link ZipVerifier}) and both extractors (download's streaming and file-based unzip), so that
 * what one accepts the others accept too.
 *
 * <p>A name is refused when it is empty, absolute ({@code /x}, {@code \x}, {@code C:x}), holds a
 * backslash, NUL or any other control character or line separator, or has a {@code ..} segment.
 *
 * <p>And one name per entry: a zip can name an entry in up to three places, the central directory,
 * the local header and the Info-ZIP Unicode Path extra field (0x7075) of either. The JDK's readers,
 * Python's and unzip pick different ones, so a zip whose raw name is {@code ../evil} and whose
 * Unicode Path says {@code safe.txt} looks safe to one reader and writes outside to another. {@link
 * #disagreement} refuses any entry whose places disagree.
 */
public final class EntryNames {
    /** The Info-ZIP Unicode Path extra field. */
    public static final int UNICODE_PATH = 0x7075;

    private static final int LOCAL_HEADER_SIG = 0x04034b50;

    private EntryNames() {}

    /**
     * Why {@code name} is unsafe, as a phrase that follows "entry 'NAME' ", or null when it is
     * fine.
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) return "has an empty name";
        int unsafe = OutsideText.firstUnsafe(name);
        if (unsafe >= 0) {
            return "contains "
                    + OutsideText.codePoint(name.charAt(unsafe))
                    + ", a control character or line separator";
        }
        if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*"))
            return "has an absolute path";
        if (name.contains("\\")) return "contains a backslash";
        for (String segment : name.split("/")) {
            if (segment.equals("..")) return "climbs out of the zip root with '..' (zip slip)";
        }
        return null;
    }

    /** The name as it may be printed: escaped (see {@link OutsideText#escape}) and quoted. */
    public static String quoted(String name) {
        return "'" + OutsideText.escape(name) + "'";
    }

    /**
     * Compares the central directory's raw name with its Unicode Path extra field (if any) and with
     * the local header's name and Unicode Path field (read from {@code zip} at the entry's local
     * header offset). Returns why they disagree, or null.
     */
    public static String disagreement(FileChannel zip, ZipArchiveEntry entry) throws IOException {
        byte[] raw = entry.getRawName();
        String name = utf8(raw);
        String central = unicodePath(entry.getExtraFields(true));
        if (central != null && !central.equals(name)) {
            return "is named "
                    + quoted(name)
                    + " but its Unicode Path extra field says "
                    + quoted(central);
        }
        long offset = entry.getLocalHeaderOffset();
        ByteBuffer header = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        if (offset < 0
                || offset > zip.size() - 30 // not offset + 30: a ZIP64 offset could overflow it
                || readFully(zip, header, offset) < 30
                || header.getInt(0) != LOCAL_HEADER_SIG) {
            return "has no local header where the central directory points (offset " + offset + ")";
        }
        int nameLength = Short.toUnsignedInt(header.getShort(26));
        int extraLength = Short.toUnsignedInt(header.getShort(28));
        ByteBuffer rest =
                ByteBuffer.allocate(nameLength + extraLength).order(ByteOrder.LITTLE_ENDIAN);
        if (readFully(zip, rest, offset + 30) < nameLength + extraLength)
            return "has a truncated local header";
        byte[] localName = Arrays.copyOfRange(rest.array(), 0, nameLength);
        if (!Arrays.equals(localName, raw)) {
            return "is named "
                    + quoted(name)
                    + " in the central directory but "
                    + quoted(utf8(localName))
                    + " in its local header";
        }
        String local = unicodePathIn(rest.array(), nameLength, extraLength);
        if (local != null && !local.equals(name)) {
            return "is named "
                    + quoted(name)
                    + " but its local Unicode Path extra field says "
                    + quoted(local);
        }
        return null;
    }

    /** The Unicode Path named by an extra-field block (raw bytes), or null. */
    public static String unicodePathIn(byte[] block, int start, int length) {
        int at = start;
        int end = start + length;
        while (at + 4 <= end) {
            int id = (block[at] & 0xff) | (block[at + 1] & 0xff) << 8;
            int size = (block[at + 2] & 0xff) | (block[at + 3] & 0xff) << 8;
            if (at + 4 + size > end) break;
            // version (1 byte), CRC-32 of the raw name (4 bytes), then the UTF-8 name
            if (id == UNICODE_PATH && size >= 5)
                return utf8(Arrays.copyOfRange(block, at + 9, at + 4 + size));
            if (id == UNICODE_PATH) return "";
            at += 4 + size;
        }
        return null;
    }

    private static String unicodePath(ZipExtraField[] fields) {
        for (ZipExtraField f : fields) {
            if (f instanceof UnicodePathExtraField u)
                return utf8(u.getUnicodeName() == null ? new byte[0] : u.getUnicodeName());
            if (f.getHeaderId().getValue() == UNICODE_PATH) {
                byte[] data = f.getCentralDirectoryData();
                return data == null || data.length < 5
                        ? ""
                        : utf8(Arrays.copyOfRange(data, 5, data.length));
            }
        }
        return null;
    }

    /** Strict UTF-8: a malformed byte shows as U+FFFD, never silently as something else. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static int readFully(FileChannel channel, ByteBuffer into, long at) throws IOException {
        int total = 0;
        while (into.hasRemaining()) {
            int n = channel.read(into, at + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }
}
