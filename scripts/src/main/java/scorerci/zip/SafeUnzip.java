package scorerci.zip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import scorerci.core.OutsideText;
import scorerci.core.PipelineException;

/**
 * Extracts a downloaded artifact zip into an empty staging directory, refusing anything that could
 * write outside it or surprise the reader: absolute names, ".." escapes (zip slip), symbolic links,
 * duplicate names, and more than {@code maxBytes} of actual (not declared) output. Any refusal is
 * VERIFICATION; the caller discards the staging directory.
 */
public final class SafeUnzip {
    static final int MAX_ENTRIES = 10_000;

    private SafeUnzip() {}

    /** Returns the extracted regular files, relative to {@code into}, in the zip's order. */
    public static List<Path> extract(Path zip, Path into, long maxBytes) {
        List<Path> files = new ArrayList<>();
        Path root = into.toAbsolutePath().normalize();
        // raw names only: the Unicode Path extra field is compared (EntryNames), never trusted
        try (ZipFile zipFile =
                        ZipFile.builder().setPath(zip).setUseUnicodeExtraFields(false).get();
                FileChannel zipChannel = FileChannel.open(zip, StandardOpenOption.READ)) {
            List<ZipArchiveEntry> entries = Collections.list(zipFile.getEntriesInPhysicalOrder());
            if (entries.size() > MAX_ENTRIES) {
                throw refuse("it has " + entries.size() + " entries (limit " + MAX_ENTRIES + ")");
            }
            Set<String> seen = new HashSet<>();
            long total = 0;
            byte[] buffer = new byte[1 << 16];
            for (ZipArchiveEntry entry : entries) {
                if (entry.isUnixSymlink()) {
                    throw refuse(
                            "entry " + EntryNames.quoted(entry.getName()) + " is a symbolic link");
                }
                Path target = checkedTarget(root, entry.getName(), seen);
                String method = EntryMethods.problem(entry.getMethod());
                if (method != null && !entry.isDirectory())
                    throw refuse("entry " + EntryNames.quoted(entry.getName()) + " " + method);
                String disagreement = EntryNames.disagreement(zipChannel, entry);
                if (disagreement != null) throw refuse("entry " + disagreement);
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (FileChannel out =
                        FileChannel.open(
                                target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    if (entry.getMethod() == ZipMethod.STORED.getCode()) {
                        total += copyStored(zipChannel, entry, out, maxBytes - total, maxBytes);
                    } else {
                        total +=
                                inflate(
                                        zipFile.getInputStream(entry),
                                        out,
                                        buffer,
                                        maxBytes - total,
                                        maxBytes);
                    }
                }
                files.add(root.relativize(target));
            }
            return files;
        } catch (IOException e) {
            throw PipelineException.verification(
                    "the downloaded artifact is not a valid zip ("
                            + OutsideText.escape(e.getMessage())
                            + "); nothing was written; rerun, and if it persists upload the artifact again");
        }
    }

    /**
     * Where entry {@code name} may be written under {@code root}; refuses absolute names,
     * backslashes, NUL, escapes (zip slip) and a name seen before. Shared with {@link
     * StreamingUnzip}.
     */
    static Path checkedTarget(Path root, String name, Set<String> seen) {
        String problem = EntryNames.problem(name);
        if (problem != null) throw refuse("entry " + EntryNames.quoted(name) + " " + problem);
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw refuse(
                    "entry "
                            + EntryNames.quoted(name)
                            + " would be written outside the destination (zip slip)");
        }
        if (!seen.add(root.relativize(target).toString())) {
            throw refuse("entry " + EntryNames.quoted(name) + " appears twice");
        }
        return target;
    }

    /**
     * A STORED entry's bytes are a plain range of the zip file: copied by the kernel
     * (FileChannel.transferTo), never through the Java heap. Our own artifacts are one STORED
     * entry, so this halves the CPU of extracting them. The artifact's SHA-256 was checked before
     * extraction, so the bytes are the ones uploaded.
     */
    private static long copyStored(
            FileChannel zip, ZipArchiveEntry entry, FileChannel out, long allowed, long maxBytes)
            throws IOException {
        long offset = entry.getDataOffset();
        long size = entry.getCompressedSize();
        if (size > allowed) throw tooBig(maxBytes);
        // offset > size of the rest, not offset + size > zip size: a ZIP64 offset could overflow it
        if (offset < 0 || size < 0 || offset > zip.size() - size) {
            throw new IOException(
                    "entry "
                            + EntryNames.quoted(entry.getName())
                            + " extends past the end of the zip");
        }
        for (long done = 0; done < size; ) {
            long n = zip.transferTo(offset + done, size - done, out);
            if (n <= 0)
                throw new IOException(
                        "entry " + EntryNames.quoted(entry.getName()) + " ends early");
            done += n;
        }
        return size;
    }

    /** Counts actual output, not the declared size: a lying header cannot smuggle in more. */
    private static long inflate(
            InputStream entryStream, FileChannel out, byte[] buffer, long allowed, long maxBytes)
            throws IOException {
        long written = 0;
        try (InputStream in = entryStream) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > allowed) throw tooBig(maxBytes);
                out.write(ByteBuffer.wrap(buffer, 0, n));
            }
        }
        return written;
    }

    static PipelineException tooBig(long maxBytes) {
        return refuse(
                "its content exceeds "
                        + maxBytes
                        + " bytes when extracted (pass --max-size-mb to allow more)");
    }

    static PipelineException refuse(String why) {
        return PipelineException.verification(
                "refusing the artifact: "
                        + why
                        + "; nothing was written to the destination; the artifact was not made by upload-artifact, upload it again");
    }
}
