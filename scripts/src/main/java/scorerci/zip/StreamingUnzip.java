package scorerci.zip;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.AsiExtraField;
import org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipShort;
import scorerci.core.Digests;
import scorerci.core.PipelineException;

/**
 * Extracts a zipped artifact WHILE it streams in (from the HTTP body or the local store), so its
 * bytes are written to disk once instead of twice (temp zip, then extraction). The raw bytes are
 * teed into SHA-256 and into a bounded ring buffer that keeps the stream's last {@code tailCap}
 * bytes; the local entries are extracted with commons-compress's ZipArchiveInputStream into the
 * (hidden, empty) staging directory.
 *
 * <p>Why this is as safe as {@link SafeUnzip} (the file-based extractor, which reads the central
 * directory first and treats it as the truth):
 *
 * <ul>
 *   <li>Digest: the SHA-256 covers every byte of the stream; it is compared (by the caller's {@link
 *       DigestCheck}) before this method returns, and the caller moves nothing into --dest before
 *       that. Extraction only ever wrote into the staging directory, which the caller removes on
 *       any failure, so "verify, then land" still holds.
 *   <li>Names: every local entry passes the same {@link SafeUnzip#checkedTarget} checks (absolute,
 *       backslash/NUL, zip slip, duplicates) BEFORE a byte is written, and the central directory's
 *       raw name must be byte-identical to the local one, so both views name the same path.
 *   <li>Links and modes: a local header carries no Unix mode; the central directory does. So at the
 *       end the central directory (parsed from the kept tail by {@link CentralDirectory}) is
 *       checked: any entry it marks as a symlink or other non-regular file is refused, exactly what
 *       SafeUnzip refused, just after the bytes (as a plain file, in staging) rather than before.
 *   <li>Nothing unseen: the central directory must list exactly the local entries the stream
 *       extracted: same count, each pointing at the offset where the stream found that local
 *       header, same method, and for files the same CRC-32, compressed and uncompressed size as
 *       what was actually written. So no entry is reachable only through the central directory
 *       (hidden in another entry's data or in a gap), and a reader that trusts the central
 *       directory (SafeUnzip, unzip, the Lambda service) sees the same files with the same bytes.
 *   <li>Size cap: actual output is counted as it is written, as in SafeUnzip.
 *   <li>Retries: a transport failure (the body's own IOException) is rethrown untouched so {@link
 *       HttpTransfer#stream} retries; the caller gives every attempt a fresh directory.
 * </ul>
 *
 * What streaming cannot check, it hands back as a fallback (the caller then uses the temp-file
 * path): a central directory larger than the tail buffer, and entries ZipArchiveInputStream cannot
 * read from a stream (STORED with a data descriptor, unsupported methods, encryption).
 */
public final class StreamingUnzip {
    /**
     * Holds the central directory of ~10,000 short names; larger ones fall back to the temp file.
     */
    public static final int TAIL_CAP = 1 << 20;

    private static final int BUFFER = 256 * 1024;
    private static final int TYPE_MASK = 0170000;
    private static final int REGULAR = 0100000;
    private static final int DIRECTORY = 0040000;
    private static final int SYMLINK = 0120000;

    /** The ASi Unix extra field, the one local-header field that can carry a Unix mode. */
    private static final ZipShort ASI_EXTRA = new AsiExtraField().getHeaderId();

    /** Checks the size and SHA-256 of the whole stream; throws to refuse. */
    @FunctionalInterface
    public interface DigestCheck {
        void check(long size, String sha256Hex);
    }

    /**
     * The extracted files (relative to the directory), or {@code fallback}: why streaming could not
     * decide.
     */
    public record Result(List<Path> files, String fallback) {
        public boolean fellBack() {
            return fallback != null;
        }
    }

    /** A local entry as the stream saw and extracted it. */
    private record Seen(
            ZipArchiveEntry entry,
            byte[] rawName,
            long offset,
            boolean directory,
            long crc,
            long size) {}

    private StreamingUnzip() {}

    /**
     * @throws IOException only for a failure of {@code body} itself (a transport failure: retry);
     *     everything wrong with the content is a {@link PipelineException}
     */
    public static Result extract(
            InputStream body, Path into, long maxBytes, int tailCap, DigestCheck digestCheck)
            throws IOException {
        Tee tee = new Tee(body, tailCap);
        Path root = into.toAbsolutePath().normalize();
        List<Seen> seen = new ArrayList<>();
        String fallback;
        try {
            // never closed: that would close the body, which the caller owns
            ZipArchiveInputStream zip =
                    new ZipArchiveInputStream(
                            new BufferedInputStream(tee, BUFFER), "UTF-8", false, false);
            fallback = extractEntries(zip, root, maxBytes, seen);
        } catch (LinkageError e) {
            // commons-compress reached for an optional codec (zstd, xz) it does not have: never an
            // internal error
            if (tee.failure != null) throw tee.failure;
            throw SafeUnzip.refuse(
                    "it uses a compression method this tool cannot read (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            if (tee.failure != null) throw tee.failure;
            if (e instanceof UnsupportedZipFeatureException u) {
                return new Result(
                        List.of(),
                        "the artifact uses a zip feature streaming cannot read ("
                                + u.getMessage()
                                + ")");
            }
            // a transfer corrupted on the way reads as a broken zip: report the digest mismatch
            // instead
            drain(tee);
            digestCheck.check(tee.count, tee.sha256Hex());
            if (e instanceof RuntimeException r) throw r;
            throw invalid(e.getMessage());
        }
        if (fallback != null) return new Result(List.of(), fallback);
        drain(tee);
        if (tee.failure != null) throw tee.failure; // in case a reader above swallowed it
        digestCheck.check(tee.count, tee.sha256Hex());
        CentralDirectory.Listing listing;
        try {
            listing = CentralDirectory.read(tee.tail(), tee.count);
        } catch (CentralDirectory.Malformed e) {
            throw SafeUnzip.refuse(e.getMessage());
        }
        if (listing == null) {
            return new Result(
                    List.of(),
                    "its central directory does not fit the " + tailCap + "-byte tail buffer");
        }
        crossCheck(listing, seen);
        List<Path> files = new ArrayList<>();
        for (Seen s : seen) {
            if (!s.directory())
                files.add(root.relativize(root.resolve(s.entry().getName()).normalize()));
        }
        return new Result(files, null);
    }

    /** Returns a fallback reason, or null when every local entry was extracted. */
    private static String extractEntries(
            ZipArchiveInputStream zip, Path root, long maxBytes, List<Seen> seen)
            throws IOException {
        Set<String> names = new HashSet<>();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        ZipArchiveEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            if (seen.size() >= SafeUnzip.MAX_ENTRIES) {
                throw SafeUnzip.refuse("it has more than " + SafeUnzip.MAX_ENTRIES + " entries");
            }
            Path target = SafeUnzip.checkedTarget(root, entry.getName(), names);
            String method = EntryMethods.problem(entry.getMethod());
            if (method != null)
                throw SafeUnzip.refuse(
                        "entry " + EntryNames.quoted(entry.getName()) + " " + method);
            byte[] localExtra = entry.getLocalFileDataExtra();
            String localPath = EntryNames.unicodePathIn(localExtra, 0, localExtra.length);
            if (localPath != null && !localPath.equals(entry.getName())) {
                throw SafeUnzip.refuse(
                        "entry "
                                + EntryNames.quoted(entry.getName())
                                + " has a local Unicode Path extra field naming "
                                + EntryNames.quoted(localPath));
            }
            if (entry.getExtraField(ASI_EXTRA) instanceof AsiExtraField asi && asi.isLink()) {
                throw SafeUnzip.refuse(
                        "entry " + EntryNames.quoted(entry.getName()) + " is a symbolic link");
            }
            long offset = entry.getLocalHeaderOffset();
            if (entry.isDirectory()) {
                createDirectories(target);
                seen.add(new Seen(entry, entry.getRawName(), offset, true, 0, 0));
                continue;
            }
            if (!zip.canReadEntryData(entry)) {
                return "entry "
                        + EntryNames.quoted(entry.getName())
                        + " cannot be read from a stream (method "
                        + entry.getMethod()
                        + (entry.getGeneralPurposeBit().usesDataDescriptor()
                                ? ", data descriptor"
                                : "")
                        + ")";
            }
            createDirectories(target.getParent());
            CRC32 crc = new CRC32();
            long written = 0;
            try (FileChannel out = open(target)) {
                int filled = 0;
                int n;
                // ZipArchiveInputStream returns at most 512 bytes per read: gather them into large
                // writes
                while ((n = zip.read(buffer, filled, buffer.length - filled)) >= 0) {
                    filled += n;
                    written += n;
                    if (total + written > maxBytes) throw SafeUnzip.tooBig(maxBytes);
                    if (filled == buffer.length) {
                        crc.update(buffer, 0, filled);
                        write(out, buffer, filled, target);
                        filled = 0;
                    }
                }
                crc.update(buffer, 0, filled);
                write(out, buffer, filled, target);
            }
            total += written;
            seen.add(new Seen(entry, entry.getRawName(), offset, false, crc.getValue(), written));
        }
        return null;
    }

    /** See the class comment: the central directory must describe exactly what was extracted. */
    private static void crossCheck(CentralDirectory.Listing listing, List<Seen> seen) {
        List<CentralDirectory.Entry> central = new ArrayList<>(listing.entries());
        central.sort(Comparator.comparingLong(CentralDirectory.Entry::localHeaderOffset));
        if (central.size() != seen.size()) {
            throw SafeUnzip.refuse(
                    "its central directory lists "
                            + central.size()
                            + " entries but the archive holds "
                            + seen.size()
                            + " local entries");
        }
        for (int i = 0; i < central.size(); i++) {
            CentralDirectory.Entry c = central.get(i);
            Seen s = seen.get(i);
            String name = s.entry().getName();
            if (c.localHeaderOffset() != s.offset()) {
                throw SafeUnzip.refuse(
                        "its central directory points at offset "
                                + c.localHeaderOffset()
                                + " where no local entry starts (entry "
                                + EntryNames.quoted(name)
                                + " starts at "
                                + s.offset()
                                + ")");
            }
            if (!Arrays.equals(c.rawName(), s.rawName())) {
                throw SafeUnzip.refuse(
                        "entry "
                                + EntryNames.quoted(name)
                                + " is named "
                                + EntryNames.quoted(new String(c.rawName(), StandardCharsets.UTF_8))
                                + " in the central directory");
            }
            if (c.unicodePath() != null && !c.unicodePath().equals(name)) {
                throw SafeUnzip.refuse(
                        "entry "
                                + EntryNames.quoted(name)
                                + " has a Unicode Path extra field naming "
                                + EntryNames.quoted(c.unicodePath())
                                + " in the central directory");
            }
            int type = c.unixMode() & TYPE_MASK;
            if (type == SYMLINK)
                throw SafeUnzip.refuse("entry " + EntryNames.quoted(name) + " is a symbolic link");
            if (type != 0 && type != REGULAR && type != DIRECTORY) {
                throw SafeUnzip.refuse(
                        "entry "
                                + EntryNames.quoted(name)
                                + " is not a regular file (mode "
                                + Integer.toOctalString(c.unixMode())
                                + ")");
            }
            if (type == DIRECTORY && !s.directory()) {
                throw SafeUnzip.refuse(
                        "entry "
                                + EntryNames.quoted(name)
                                + " is a directory in the central directory only");
            }
            if ((c.flags() & 1) != 0)
                throw SafeUnzip.refuse("entry " + EntryNames.quoted(name) + " is encrypted");
            if (c.method() != s.entry().getMethod()) {
                throw SafeUnzip.refuse(
                        "entry "
                                + EntryNames.quoted(name)
                                + " has compression method "
                                + c.method()
                                + " in the central directory but "
                                + s.entry().getMethod()
                                + " in its local header");
            }
            if (s.directory()) continue;
            if (c.size() != s.size()
                    || c.crc() != s.crc()
                    || c.compressedSize() != s.entry().getCompressedSize()) {
                throw SafeUnzip.refuse(
                        String.format(
                                java.util.Locale.ROOT,
                                "entry %s: the central directory records %d bytes (%d compressed, CRC %08x) but %d bytes"
                                        + " (%d compressed, CRC %08x) were extracted",
                                EntryNames.quoted(name),
                                c.size(),
                                c.compressedSize(),
                                c.crc(),
                                s.size(),
                                s.entry().getCompressedSize(),
                                s.crc()));
            }
        }
        if (!seen.isEmpty()) {
            ZipArchiveEntry last = seen.get(seen.size() - 1).entry();
            if (listing.offset() < last.getDataOffset() + Math.max(0, last.getCompressedSize())) {
                throw SafeUnzip.refuse(
                        "its central directory overlaps the data of entry "
                                + EntryNames.quoted(last.getName()));
            }
        }
    }

    private static void drain(Tee tee) throws IOException {
        byte[] buffer = new byte[BUFFER];
        while (tee.read(buffer, 0, buffer.length) >= 0) {
            // hashed and kept by the tee
        }
    }

    private static FileChannel open(Path target) {
        try {
            return FileChannel.open(
                    target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    private static void write(FileChannel out, byte[] buffer, int length, Path target) {
        try {
            ByteBuffer data = ByteBuffer.wrap(buffer, 0, length);
            while (data.hasRemaining()) out.write(data);
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw SafeUnzip.refuse(
                    "'" + dir.getFileName() + "' is both a file and a directory in it");
        } catch (IOException e) {
            throw cannotWrite(dir, e);
        }
    }

    private static PipelineException cannotWrite(Path path, IOException e) {
        return PipelineException.prerequisite(
                "cannot write "
                        + path
                        + ": "
                        + e.getMessage()
                        + "; pass a --dest DIR on a writable file system with enough free space");
    }

    private static PipelineException invalid(String why) {
        return PipelineException.verification(
                "the downloaded artifact is not a valid zip ("
                        + why
                        + "); nothing was written; rerun, and if it persists upload the artifact again");
    }

    /**
     * Sees every byte of the body exactly once, in order, whoever reads it (the zip reader through
     * its buffers, or the final drain): hashes it, keeps the last {@code cap} bytes, and records a
     * failure of the body itself so it can be told apart from a zip format error.
     */
    private static final class Tee extends InputStream {
        private final InputStream in;
        private final MessageDigest sha = Digests.sha256();
        private final byte[] ring;
        long count;
        IOException failure;

        Tee(InputStream in, int cap) {
            this.in = in;
            this.ring = new byte[cap];
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (n > 0) {
                sha.update(b, off, n);
                keep(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        private void keep(byte[] b, int off, int n) {
            int cap = ring.length;
            long at = count;
            if (n > cap) { // only the last cap bytes can survive
                off += n - cap;
                at += n - cap;
                n = cap;
            }
            int start = (int) (at % cap);
            int first = Math.min(n, cap - start);
            System.arraycopy(b, off, ring, start, first);
            System.arraycopy(b, off + first, ring, 0, n - first);
        }

        /** The last min(count, cap) bytes, in stream order. */
        byte[] tail() {
            int cap = ring.length;
            int length = (int) Math.min(count, cap);
            int start = (int) ((count - length) % cap);
            byte[] tail = new byte[length];
            int first = Math.min(length, cap - start);
            System.arraycopy(ring, start, tail, 0, first);
            System.arraycopy(ring, 0, tail, first, length - first);
            return tail;
        }

        String sha256Hex() {
            return Digests.hex(sha.digest());
        }
    }
}
