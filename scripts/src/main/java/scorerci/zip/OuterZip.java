package scorerci.zip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipExtraField;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * The v4 artifact wrapper: a zip holding the uploaded file (bootstrap.zip) as a STORED entry,
 * followed by its companions (the provenance statement bootstrap.zip.intoto.json, when build-zip
 * wrote one).
 *
 * <p>It is byte-for-byte a function of the file's name and content: fixed DOS time (2000-01-01
 * 00:00 local, so no time zone leaks in), fixed mode 0644, no extra fields. So equal inner bytes
 * give an equal artifact digest, which is what lets a rerun recognise its own earlier upload
 * (--if-exists skip-if-same) without downloading it. STORED because the inner file is already a
 * compressed zip: deflating it again costs time and saves nothing.
 *
 * <p>Streaming: the entry's CRC and size go into the local header, so the file is read twice:
 * {@link #inspect} only sums the CRC-32 (an intrinsic, several GB/s), and {@link #write} hashes the
 * file (SHA-256) on its one streaming pass, so no byte is hashed twice. Nothing is held in memory.
 */
public final class OuterZip {
    private OuterZip() {}

    /** Size and CRC-32 of the inner file: what the local header needs before the data. */
    public record Inner(Path path, String entryName, long size, long crc) {}

    /** The wrapper's size and SHA-256, and the SHA-256 of the inner file it holds (bare hex). */
    public record Digests(long size, String sha256Hex, String innerSha256Hex) {}

    private static final int BUFFER = 256 * 1024;

    public static Inner inspect(Path file) {
        CRC32 crc = new CRC32();
        long size = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Inner(file, file.getFileName().toString(), size, crc.getValue());
    }

    /**
     * Writes the wrapper zip to {@code out} (not closed); returns the SHA-256 (bare hex) of the
     * inner file as it was streamed. If the file changed since {@link #inspect}, the zip writer
     * fails on the size or CRC, so the digest always matches the bytes in the header.
     */
    public static String write(Inner inner, OutputStream out) throws IOException {
        return write(inner, java.util.List.of(), out);
    }

    /**
     * As {@link #write(Inner, OutputStream)}, with companion files after the main one (the
     * provenance statement beside bootstrap.zip), each a STORED entry made the same way; returns
     * the main file's SHA-256.
     */
    public static String write(Inner inner, java.util.List<Inner> companions, OutputStream out)
            throws IOException {
        ZipArchiveOutputStream zip = new ZipArchiveOutputStream(new NonClosing(out));
        String sha = putStored(zip, inner);
        for (Inner companion : companions) putStored(zip, companion);
        zip.finish();
        zip.close();
        return sha;
    }

    private static String putStored(ZipArchiveOutputStream zip, Inner inner) throws IOException {
        ZipArchiveEntry entry = new ZipArchiveEntry(inner.entryName());
        entry.setMethod(ZipMethod.STORED.getCode());
        entry.setSize(inner.size());
        entry.setCompressedSize(inner.size());
        entry.setCrc(inner.crc());
        entry.setTime(
                LocalDateTime.of(2000, 1, 1, 0, 0)
                        .atZone(ZoneId.systemDefault())
                        .toInstant()
                        .toEpochMilli());
        entry.setExtraFields(
                new ZipExtraField
                        [0]); // no extended-timestamp/NTFS fields: those would carry the zone
        entry.setUnixMode(0100644);
        zip.putArchiveEntry(entry);
        MessageDigest sha = scorerci.core.Digests.sha256();
        // large reads: each write goes through the zip writer, the digests and the block copy
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(inner.path())) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                zip.write(buffer, 0, n);
            }
        }
        zip.closeArchiveEntry();
        return scorerci.core.Digests.hex(sha.digest());
    }

    /** The digests the wrapper will have, computed in one pass without storing it. */
    public static Digests digestOf(Inner inner) {
        return digestOf(inner, java.util.List.of());
    }

    /** The digests of the wrapper holding {@code inner} and its companions. */
    public static Digests digestOf(Inner inner, java.util.List<Inner> companions) {
        MessageDigest sha = scorerci.core.Digests.sha256();
        CountingStream counter = new CountingStream();
        String innerSha;
        try (DigestOutputStream out = new DigestOutputStream(counter, sha)) {
            innerSha = write(inner, companions, out);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + inner.path() + ": " + e.getMessage(), e);
        }
        return new Digests(counter.count, scorerci.core.Digests.hex(sha.digest()), innerSha);
    }

    /**
     * SHA-256 of entry {@code entryName} inside a zipped artifact read as a stream, or null if
     * absent. Works for any producer's zip (the official client deflates, with data descriptors).
     */
    public static String entryDigest(InputStream artifactZip, String entryName) throws IOException {
        try (ZipArchiveInputStream zip =
                new ZipArchiveInputStream(artifactZip, "UTF-8", true, true)) {
            ZipArchiveEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.getName().equals(entryName)) continue;
                MessageDigest sha = scorerci.core.Digests.sha256();
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = zip.read(buffer)) > 0) sha.update(buffer, 0, n);
                return scorerci.core.Digests.hex(sha.digest());
            }
            return null;
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Lets the zip writer close its own layers without closing the upload underneath. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
