package scorerci.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import scorerci.cli.PipelineException;

/**
 * Extracts a downloaded artifact zip into an empty staging directory, refusing anything that
 * could write outside it or surprise the reader: absolute names, ".." escapes (zip slip),
 * symbolic links, duplicate names, and more than {@code maxBytes} of actual (not declared)
 * output. Any refusal is VERIFICATION; the caller discards the staging directory.
 */
public final class SafeUnzip {
    private static final int MAX_ENTRIES = 10_000;

    private SafeUnzip() {}

    /** Returns the extracted regular files, relative to {@code into}, in the zip's order. */
    public static List<Path> extract(Path zip, Path into, long maxBytes) {
        List<Path> files = new ArrayList<>();
        Path root = into.toAbsolutePath().normalize();
        try (ZipFile zipFile = ZipFile.builder().setPath(zip).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zipFile.getEntriesInPhysicalOrder());
            if (entries.size() > MAX_ENTRIES) {
                throw refuse("it has " + entries.size() + " entries (limit " + MAX_ENTRIES + ")");
            }
            Set<String> seen = new HashSet<>();
            long total = 0;
            byte[] buffer = new byte[1 << 16];
            for (ZipArchiveEntry entry : entries) {
                String name = entry.getName();
                if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
                    throw refuse("entry '" + name + "' has an absolute path");
                }
                if (name.contains("\\") || name.contains("\0")) {
                    throw refuse("entry '" + name + "' contains a backslash or NUL");
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw refuse("entry '" + name + "' would be written outside the destination (zip slip)");
                }
                if (entry.isUnixSymlink()) {
                    throw refuse("entry '" + name + "' is a symbolic link");
                }
                if (!seen.add(root.relativize(target).toString())) {
                    throw refuse("entry '" + name + "' appears twice");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zipFile.getInputStream(entry);
                     OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        total += n;
                        if (total > maxBytes) {
                            throw refuse("its content exceeds " + maxBytes + " bytes when extracted (pass --max-size-mb to allow more)");
                        }
                        out.write(buffer, 0, n);
                    }
                }
                files.add(root.relativize(target));
            }
            return files;
        } catch (IOException e) {
            throw PipelineException.verification("the downloaded artifact is not a valid zip (" + e.getMessage()
                    + "); nothing was written; rerun, and if it persists upload the artifact again");
        }
    }

    private static PipelineException refuse(String why) {
        return PipelineException.verification("refusing the artifact: " + why
                + "; nothing was written to the destination; the artifact was not made by upload-artifact, upload it again");
    }
}
