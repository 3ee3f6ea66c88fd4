package scorerci.zip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import scorerci.core.PipelineException;
import scorerci.files.AtomicFile;

/**
 * Writes a reproducible Lambda zip: the same inputs give the same bytes, so the same CodeSha256, so
 * an unchanged function is never redeployed.
 *
 * <p>Layout, fixed: {@code bootstrap} first (mode 0100755), then the includes sorted by name
 * (0100644); Unix "made by" so the modes count; every entry deflated at level 6 (what cargo-lambda
 * and {@code zip -6} use); one DOS timestamp for all entries, from SOURCE_DATE_EPOCH or 1980-01-01
 * 00:00 (the DOS epoch), written from its UTC fields so the machine's time zone does not leak in
 * (see DosTimestamps); no extra fields, no directory entries, no data descriptors. bootstrap goes
 * first so that a reader streaming the zip meets the executable before anything else, and because
 * its position then never depends on the include names.
 *
 * <p>The zip is written to a temporary file beside the target and renamed over it, so a failed or
 * interrupted run never leaves a half-written zip.
 */
public final class LambdaZipWriter {
    public static final int BOOTSTRAP_MODE = 0100755;
    public static final int INCLUDE_MODE = 0100644;
    public static final int LEVEL = 6;

    /** 1980-01-01T00:00:00Z, the earliest DOS date. */
    public static final long DOS_EPOCH_SECONDS = 315_532_800L;

    private static final long DOS_MAX_SECONDS = 4_354_819_198L; // 2107-12-31T23:59:58Z

    private final long timestampSeconds;

    private LambdaZipWriter(long timestampSeconds) {
        this.timestampSeconds = timestampSeconds;
    }

    /** A writer stamping entries with 1980-01-01 00:00. */
    public static LambdaZipWriter withDosEpoch() {
        return new LambdaZipWriter(DOS_EPOCH_SECONDS);
    }

    /**
     * A writer stamping entries with SOURCE_DATE_EPOCH (seconds since 1970, UTC), clamped into the
     * DOS range 1980–2107; null or blank means the DOS epoch.
     */
    public static LambdaZipWriter forSourceDateEpoch(String sourceDateEpoch) {
        if (sourceDateEpoch == null || sourceDateEpoch.isBlank()) return withDosEpoch();
        long seconds;
        try {
            seconds = Long.parseLong(sourceDateEpoch.trim());
        } catch (NumberFormatException e) {
            throw PipelineException.usage(
                    "SOURCE_DATE_EPOCH='"
                            + sourceDateEpoch
                            + "' is not a number of seconds since"
                            + " 1970: set it to an integer such as $(git log -1 --format=%ct), or unset it");
        }
        return new LambdaZipWriter(Math.max(DOS_EPOCH_SECONDS, Math.min(DOS_MAX_SECONDS, seconds)));
    }

    /** The UTC date and time written into every entry (2-second resolution). */
    public LocalDateTime timestamp() {
        return LocalDateTime.ofEpochSecond(
                timestampSeconds - (timestampSeconds % 2), 0, ZoneOffset.UTC);
    }

    /**
     * Writes {@code bootstrap} and the includes to {@code zip}, replacing it atomically. A missing
     * input is NOT_FOUND; duplicate or unsafe names are USAGE.
     */
    public void write(Path zip, Path bootstrap, List<ZipInput> includes) throws IOException {
        write(zip, bootstrap, includes, temp -> {});
    }

    /**
     * Checks the finished temporary zip before it replaces the target; throwing keeps the old zip.
     */
    public interface BeforeRename {
        void check(Path temp) throws IOException;
    }

    /**
     * Like {@link #write(Path, Path, List)}, but {@code check} sees the finished zip first: a zip
     * that fails verification never appears at the target path.
     */
    public void write(Path zip, Path bootstrap, List<ZipInput> includes, BeforeRename check)
            throws IOException {
        List<ZipInput> ordered = order(bootstrap, includes);
        for (ZipInput input : ordered) {
            if (!Files.isRegularFile(input.source())) {
                throw PipelineException.notFound(
                        "cannot package '"
                                + input.name()
                                + "': "
                                + input.source()
                                + " does not exist or is not a file"
                                + (input.name().equals(ZipRules.BOOTSTRAP)
                                        ? " (did the build succeed?)"
                                        : ": create it or remove it from Cargo.toml's include list"));
            }
        }
        // a zip that fails the check never replaces the one at `zip`
        AtomicFile.write(
                zip,
                AtomicFile.READABLE,
                temp -> {
                    writeEntries(temp, ordered);
                    check.check(temp);
                });
    }

    private static List<ZipInput> order(Path bootstrap, List<ZipInput> includes) {
        List<ZipInput> sorted = new ArrayList<>(includes);
        sorted.sort(Comparator.comparing(ZipInput::name));
        Set<String> names = new HashSet<>(Set.of(ZipRules.BOOTSTRAP));
        for (ZipInput include : sorted) {
            String name = include.name();
            // the same rule the verifier and the extractors apply (EntryNames), plus: a file, not a
            // directory
            if (EntryNames.problem(name) != null || name.endsWith("/")) {
                throw PipelineException.usage(
                        "include name "
                                + EntryNames.quoted(name)
                                + " must be a relative file path inside the zip"
                                + " (no leading /, no .., no trailing /): fix Cargo.toml's [package.metadata.lambda.build] include");
            }
            if (!names.add(name)) {
                throw PipelineException.usage(
                        EntryNames.quoted(name)
                                + " would be in the zip twice: list each include once and"
                                + " do not name one 'bootstrap'");
            }
        }
        List<ZipInput> all = new ArrayList<>();
        all.add(new ZipInput(ZipRules.BOOTSTRAP, bootstrap));
        all.addAll(sorted);
        return all;
    }

    private void writeEntries(Path temp, List<ZipInput> inputs) throws IOException {
        // any mid-range time keeps commons-compress from adding extended-time extra fields;
        // the real stamp is written afterwards by DosTimestamps, independent of time zones
        long placeholder =
                java.time.LocalDateTime.of(2000, 1, 1, 12, 0)
                        .atZone(java.time.ZoneId.systemDefault())
                        .toInstant()
                        .toEpochMilli();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(temp)) {
            out.setMethod(ZipArchiveEntry.DEFLATED);
            out.setLevel(LEVEL);
            out.setUseZip64(
                    Zip64Mode.Never); // the size limits are far below 4 GB; no zip64 extra fields
            byte[] buffer = new byte[1 << 16];
            for (ZipInput input : inputs) {
                ZipArchiveEntry entry = new ZipArchiveEntry(input.name());
                entry.setUnixMode(
                        input.name().equals(ZipRules.BOOTSTRAP) ? BOOTSTRAP_MODE : INCLUDE_MODE);
                entry.setTime(placeholder);
                entry.setSize(Files.size(input.source()));
                out.putArchiveEntry(entry);
                try (InputStream in = Files.newInputStream(input.source())) {
                    int n;
                    while ((n = in.read(buffer)) > 0) out.write(buffer, 0, n);
                }
                out.closeArchiveEntry();
            }
            out.finish();
        }
        DosTimestamps.stamp(temp, timestamp());
    }

    @Override
    public String toString() {
        return "LambdaZipWriter[" + Instant.ofEpochSecond(timestampSeconds) + "]";
    }
}
