package scorerci.zip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;

/**
 * Stamps every entry of a finished zip with one MS-DOS date and time, in place.
 *
 * <p>Why not ZipArchiveEntry.setTime: commons-compress converts through the JVM's default time
 * zone, and treats 1980-01-01 00:00 (whose DOS value equals its "before 1980" sentinel) as not
 * representable, then adds extended-timestamp extra fields. Writing the two 16-bit words ourselves,
 * in the local and the central header of each entry, makes the bytes independent of the machine's
 * zone. The CRC covers only the data.
 */
final class DosTimestamps {
    private static final int EOCD = 0x06054b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    private DosTimestamps() {}

    static int dosDate(LocalDateTime t) {
        return ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
    }

    static int dosTime(LocalDateTime t) {
        return (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2);
    }

    static void stamp(Path zip, LocalDateTime when) throws IOException {
        short time = (short) dosTime(when);
        short date = (short) dosDate(when);
        try (FileChannel channel =
                FileChannel.open(zip, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            // no archive comment is written, so the end record is the last 22 bytes
            ByteBuffer end = read(channel, size - 22, 22);
            if (end.getInt(0) != EOCD)
                throw new IOException("end of central directory not where expected");
            int entries = Short.toUnsignedInt(end.getShort(10));
            long centralSize = Integer.toUnsignedLong(end.getInt(12));
            long centralStart = Integer.toUnsignedLong(end.getInt(16));
            ByteBuffer central = read(channel, centralStart, (int) centralSize);
            ByteBuffer stamp =
                    ByteBuffer.allocate(4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putShort(time)
                            .putShort(date);
            int at = 0;
            for (int i = 0; i < entries; i++) {
                if (central.getInt(at) != CENTRAL)
                    throw new IOException("central header " + i + " not found");
                long local = Integer.toUnsignedLong(central.getInt(at + 42));
                if (read(channel, local, 4).getInt(0) != LOCAL)
                    throw new IOException("local header " + i + " not found");
                channel.write(stamp.rewind(), centralStart + at + 12);
                channel.write(stamp.rewind(), local + 10);
                at +=
                        46
                                + Short.toUnsignedInt(central.getShort(at + 28))
                                + Short.toUnsignedInt(central.getShort(at + 30))
                                + Short.toUnsignedInt(central.getShort(at + 32));
            }
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0)
                throw new IOException("zip is truncated");
        }
        return buffer.flip();
    }
}
