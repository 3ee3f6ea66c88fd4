package scorerci.zip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the central directory byte by byte, independent of commons-compress, so tests check what is
 * really written (made-by, external attributes, extra fields, DOS time).
 */
record RawZip(List<Entry> entries) {
    record Entry(
            String name,
            int madeBy,
            int versionNeeded,
            int flags,
            int method,
            int dosTime,
            int dosDate,
            int extraLength,
            int commentLength,
            long externalAttributes,
            int localExtraLength) {
        int unixMode() {
            return (int) (externalAttributes >>> 16);
        }

        int year() {
            return 1980 + (dosDate >> 9);
        }

        int month() {
            return (dosDate >> 5) & 0xF;
        }

        int day() {
            return dosDate & 0x1F;
        }

        int hour() {
            return dosTime >> 11;
        }

        int minute() {
            return (dosTime >> 5) & 0x3F;
        }

        int second() {
            return (dosTime & 0x1F) * 2;
        }
    }

    static RawZip parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int i = bytes.length - 22; i >= 0; i--) {
            if (b.getInt(i) == 0x06054b50) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) throw new IllegalArgumentException("no end of central directory");
        int count = Short.toUnsignedInt(b.getShort(eocd + 10));
        int at = b.getInt(eocd + 16);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (b.getInt(at) != 0x02014b50)
                throw new IllegalArgumentException("bad central header at " + at);
            int nameLength = Short.toUnsignedInt(b.getShort(at + 28));
            int extra = Short.toUnsignedInt(b.getShort(at + 30));
            int comment = Short.toUnsignedInt(b.getShort(at + 32));
            int local = b.getInt(at + 42);
            String name = new String(bytes, at + 46, nameLength, StandardCharsets.UTF_8);
            int localExtra = Short.toUnsignedInt(b.getShort(local + 28));
            entries.add(
                    new Entry(
                            name,
                            Short.toUnsignedInt(b.getShort(at + 4)),
                            Short.toUnsignedInt(b.getShort(at + 6)),
                            Short.toUnsignedInt(b.getShort(at + 8)),
                            Short.toUnsignedInt(b.getShort(at + 10)),
                            Short.toUnsignedInt(b.getShort(at + 12)),
                            Short.toUnsignedInt(b.getShort(at + 14)),
                            extra,
                            comment,
                            Integer.toUnsignedLong(b.getInt(at + 38)),
                            localExtra));
            at += 46 + nameLength + extra + comment;
        }
        return new RawZip(entries);
    }
}
