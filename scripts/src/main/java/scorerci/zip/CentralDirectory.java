package scorerci.zip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip's central directory from the LAST bytes of the zip only (the tail that {@link
 * StreamingUnzip} keeps while streaming): the end-of-central-directory record (and its ZIP64 form),
 * then every central file header. Strict on purpose: one disk, the directory immediately before its
 * end record, every record inside the directory's declared bounds.
 */
public final class CentralDirectory {
    private static final int EOCD_SIG = 0x06054b50;
    private static final int EOCD_LEN = 22;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_LOCATOR_LEN = 20;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CFH_SIG = 0x02014b50;
    private static final int CFH_LEN = 46;
    private static final long U32_MAGIC = 0xFFFFFFFFL;
    private static final int PLATFORM_UNIX = 3;

    /**
     * One central file header, with ZIP64 values already applied. {@code unixMode} 0 unless made on
     * Unix.
     */
    record Entry(
            byte[] rawName,
            int flags,
            int method,
            long crc,
            long compressedSize,
            long size,
            long localHeaderOffset,
            int unixMode,
            String unicodePath) {}

    /**
     * The entries in directory order; {@code null} from {@link #read} when the directory starts
     * before the tail.
     */
    public record Listing(List<Entry> entries, long offset, long size) {}

    /** Thrown for anything malformed; the caller turns it into a refusal. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private CentralDirectory() {}

    /**
     * @param tail the last {@code tail.length} bytes of the zip
     * @param zipLength the zip's total length, so tail[0] is at offset {@code zipLength -
     *     tail.length}
     * @return the listing, or null if the directory (or the ZIP64 end record) lies before the tail
     */
    public static Listing read(byte[] tail, long zipLength) throws Malformed {
        long tailStart = zipLength - tail.length;
        ByteBuffer b = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = findEndRecord(b);
        if (eocd < 0) {
            if (tailStart > 0 && tail.length < EOCD_LEN + 0xFFFF)
                return null; // the end record (with a long comment) may lie before a short tail
            throw new Malformed("it has no end-of-central-directory record");
        }
        if (u16(b, eocd + 4) != 0 || u16(b, eocd + 6) != 0)
            throw new Malformed("it spans several disks");
        long entriesHere = u16(b, eocd + 8);
        long entries = u16(b, eocd + 10);
        long cdSize = u32(b, eocd + 12);
        long cdOffset = u32(b, eocd + 16);
        long cdEnd = tailStart + eocd; // where the directory must end: at the end record...
        int locator = eocd - ZIP64_LOCATOR_LEN;
        boolean markers =
                entries == 0xFFFF
                        || entriesHere == 0xFFFF
                        || cdSize == U32_MAGIC
                        || cdOffset == U32_MAGIC;
        // as ZipFile does: a ZIP64 locator right before the end record means the ZIP64 record rules
        if (markers || (locator >= 0 && b.getInt(locator) == ZIP64_LOCATOR_SIG)) {
            if (locator < 0)
                return tailStart > 0 ? null : fail("its ZIP64 end record locator is missing");
            if (b.getInt(locator) != ZIP64_LOCATOR_SIG)
                throw new Malformed("its ZIP64 end record locator is missing");
            if (b.getInt(locator + 4) != 0 || b.getInt(locator + 16) != 1)
                throw new Malformed("it spans several disks");
            long record = u64(b, locator + 8);
            if (record < tailStart) return null;
            if (record + 56 > tailStart + locator)
                throw new Malformed("its ZIP64 end record overlaps its locator");
            int r = (int) (record - tailStart);
            if (b.getInt(r) != ZIP64_EOCD_SIG)
                throw new Malformed("its ZIP64 end record is missing");
            if (b.getInt(r + 16) != 0 || b.getInt(r + 20) != 0)
                throw new Malformed("it spans several disks");
            entriesHere = u64(b, r + 24);
            entries = u64(b, r + 32);
            cdSize = u64(b, r + 40);
            cdOffset = u64(b, r + 48);
            cdEnd = record; // ...or at the ZIP64 end record
        }
        if (entries != entriesHere) throw new Malformed("it spans several disks");
        if (cdSize < 0 || cdOffset < 0 || cdOffset + cdSize != cdEnd) {
            throw new Malformed(
                    "its central directory (offset "
                            + cdOffset
                            + ", "
                            + cdSize
                            + " bytes) does not end where its end record begins ("
                            + cdEnd
                            + ")");
        }
        if (cdOffset < tailStart) return null;
        if (entries > SafeUnzip.MAX_ENTRIES) {
            throw new Malformed(
                    "it has " + entries + " entries (limit " + SafeUnzip.MAX_ENTRIES + ")");
        }
        int at = (int) (cdOffset - tailStart);
        int end = (int) (cdEnd - tailStart);
        List<Entry> result = new ArrayList<>((int) entries);
        for (long i = 0; i < entries; i++) {
            if (at + CFH_LEN > end || b.getInt(at) != CFH_SIG)
                throw new Malformed("central directory record " + i + " is damaged");
            int madeBy = u16(b, at + 4);
            int flags = u16(b, at + 8);
            int method = u16(b, at + 10);
            long crc = u32(b, at + 16);
            long csize = u32(b, at + 20);
            long size = u32(b, at + 24);
            int nameLength = u16(b, at + 28);
            int extraLength = u16(b, at + 30);
            int commentLength = u16(b, at + 32);
            int disk = u16(b, at + 34);
            long external = u32(b, at + 38);
            long offset = u32(b, at + 42);
            int next = at + CFH_LEN + nameLength + extraLength + commentLength;
            if (next > end)
                throw new Malformed("central directory record " + i + " runs past the directory");
            byte[] name = new byte[nameLength];
            b.get(at + CFH_LEN, name);
            // ZIP64 extended information (id 1): 8-byte values for exactly the fields that hold the
            // 0xFFFFFFFF marker, in this order: size, compressed size, offset, then a 4-byte disk
            int[] field = zip64Extra(b, at + CFH_LEN + nameLength, extraLength);
            int cursor = field[0];
            if (size == U32_MAGIC) {
                size = zip64Value(b, cursor, field[1], i);
                cursor += 8;
            }
            if (csize == U32_MAGIC) {
                csize = zip64Value(b, cursor, field[1], i);
                cursor += 8;
            }
            if (offset == U32_MAGIC) {
                offset = zip64Value(b, cursor, field[1], i);
                cursor += 8;
            }
            if (disk == 0xFFFF)
                disk = cursor >= 0 && cursor + 4 <= field[1] ? b.getInt(cursor) : -1;
            if (disk != 0) throw new Malformed("it spans several disks");
            int unixMode = (madeBy >> 8) == PLATFORM_UNIX ? (int) (external >>> 16) : 0;
            String unicodePath =
                    EntryNames.unicodePathIn(tail, at + CFH_LEN + nameLength, extraLength);
            result.add(
                    new Entry(
                            name, flags, method, crc, csize, size, offset, unixMode, unicodePath));
            at = next;
        }
        if (at != end)
            throw new Malformed(
                    "its central directory has " + (end - at) + " bytes after the last record");
        return new Listing(result, cdOffset, cdSize);
    }

    private static Listing fail(String why) throws Malformed {
        throw new Malformed(why);
    }

    /**
     * Scans back from the end for the end record whose comment length reaches exactly to the end.
     */
    private static int findEndRecord(ByteBuffer b) {
        int length = b.capacity();
        for (int i = length - EOCD_LEN; i >= 0 && i >= length - EOCD_LEN - 0xFFFF; i--) {
            if (b.getInt(i) == EOCD_SIG && u16(b, i + 20) == length - i - EOCD_LEN) return i;
        }
        return -1;
    }

    /** {start, end} of the ZIP64 extra field's data within the extra block, or {-1, -1}. */
    private static int[] zip64Extra(ByteBuffer b, int start, int length) {
        int at = start;
        while (at + 4 <= start + length) {
            int id = u16(b, at);
            int size = u16(b, at + 2);
            if (at + 4 + size > start + length) break;
            if (id == 1) return new int[] {at + 4, at + 4 + size};
            at += 4 + size;
        }
        return new int[] {-1, -1};
    }

    private static long zip64Value(ByteBuffer b, int at, int fieldEnd, long record)
            throws Malformed {
        if (at < 0 || at + 8 > fieldEnd)
            throw new Malformed("central directory record " + record + " lacks its ZIP64 values");
        long v = b.getLong(at);
        if (v < 0)
            throw new Malformed(
                    "central directory record " + record + " has a negative ZIP64 size");
        return v;
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    private static long u64(ByteBuffer b, int at) {
        return b.getLong(at);
    }
}
