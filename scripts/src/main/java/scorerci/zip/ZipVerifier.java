package scorerci.zip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import scorerci.core.Digests;
import scorerci.core.PipelineException;
import scorerci.elf.ElfFile;
import scorerci.elf.ElfFormatException;
import scorerci.elf.ElfMachine;
import scorerci.elf.GlibcVersion;

/**
 * Decides whether a zip is a valid provided.al2023 arm64 Lambda package, reading it as Lambda will:
 * the central directory's names and Unix modes, then every entry inflated (so declared sizes and
 * CRCs cannot lie), then bootstrap's ELF header and version needs.
 *
 * <p>Each failure is a PipelineException(VERIFICATION) whose message names the cause and the fix; a
 * missing file is NOT_FOUND. The first failure found is reported.
 */
public final class ZipVerifier {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final String FIX_REBUILD = "rebuild it with `jbang build-zip@.`";

    private ZipVerifier() {}

    public static VerifiedZip verify(Path zip, ZipRules rules) {
        if (!Files.exists(zip)) {
            throw PipelineException.notFound(
                    zip
                            + " does not exist: build it with `jbang build-zip@.` or pass the path of an existing zip");
        }
        if (!Files.isRegularFile(zip)) {
            throw PipelineException.usage(
                    zip + " is not a regular file: pass the path of a .zip file");
        }
        try {
            return check(zip, rules);
        } catch (IOException e) {
            throw PipelineException.verification(
                    zip
                            + " is not a readable zip archive ("
                            + e.getMessage()
                            + "): "
                            + FIX_REBUILD);
        }
    }

    private static VerifiedZip check(Path zip, ZipRules rules) throws IOException {
        long size = Files.size(zip);
        if (size > rules.maxZippedBytes()) {
            throw fail(
                    "the zip is "
                            + size
                            + " bytes, over Lambda's direct-upload limit of "
                            + rules.maxZippedBytes()
                            + " bytes (\"Zipped size must be smaller than "
                            + rules.maxZippedBytes()
                            + " bytes\"): make bootstrap"
                            + " smaller ([profile.release] strip, lto, opt-level = \"s\", fewer dependencies) or deploy it through S3");
        }
        // The file's SHA-256 is only reported, so it is computed on a second core while the
        // entries are checked (at the C1 level short commands run at, hashing a 1 MB zip takes as
        // long as inflating it); a failed check cancels it.
        FutureTask<byte[]> digest = new FutureTask<>(() -> Digests.sha256(zip));
        Thread hashing = new Thread(digest, "zip-sha256");
        hashing.setDaemon(true);
        hashing.start();
        try {
            return checkEntries(zip, size, rules, digest);
        } finally {
            digest.cancel(true);
        }
    }

    private static VerifiedZip checkEntries(
            Path zip, long size, ZipRules rules, FutureTask<byte[]> digest) throws IOException {
        // raw names only: the Unicode Path extra field is compared (EntryNames), never trusted
        try (ZipFile zipFile =
                        ZipFile.builder().setPath(zip).setUseUnicodeExtraFields(false).get();
                FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            List<ZipArchiveEntry> entries = Collections.list(zipFile.getEntriesInPhysicalOrder());
            checkNames(entries, channel);
            ZipArchiveEntry bootstrap = zipFile.getEntry(ZipRules.BOOTSTRAP);
            if (bootstrap == null) throw missingBootstrap(entries);

            byte[] bootstrapBytes = null;
            long unzipped = 0;
            for (ZipArchiveEntry entry : entries) {
                if (entry.isDirectory()) continue;
                boolean keep = entry == bootstrap || entry.getName().equals(ZipRules.BOOTSTRAP);
                // the declared size only sizes the buffer, capped: a lying header cannot make us
                // allocate 250 MB up front
                ByteArrayOutputStream kept =
                        keep
                                ? new ByteArrayOutputStream(
                                        (int) Math.min(Math.max(entry.getSize(), 0), 64L << 20))
                                : null;
                unzipped += inflate(zipFile, entry, kept, unzipped, rules.maxUnzippedBytes());
                if (keep) bootstrapBytes = kept.toByteArray();
            }
            checkMode(bootstrap);
            ElfFile elf = checkElf(bootstrapBytes);
            String highest = checkGlibc(elf, rules);
            for (ZipArchiveEntry entry : entries) {
                if (!entry.isDirectory() && entry != bootstrap) checkReadable(entry);
            }
            checkRequired(entries, rules);
            byte[] sha256 = finished(digest);
            return new VerifiedZip(
                    zip,
                    size,
                    unzipped,
                    Digests.hex(sha256),
                    Digests.codeSha256(sha256),
                    elf.machineName(),
                    highest,
                    entries.stream().map(ZipArchiveEntry::getName).toList());
        }
    }

    /** The digest's result; its IOException as thrown by the hashing thread. */
    private static byte[] finished(FutureTask<byte[]> digest) throws IOException {
        try {
            return digest.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while hashing the zip");
        }
    }

    /**
     * Refuses names that would escape /var/task on extraction or that readers would disagree on
     * ({@link EntryNames}, the rule the writer and the extractors share), symlinks, and duplicates.
     */
    private static void checkNames(List<ZipArchiveEntry> entries, FileChannel channel)
            throws IOException {
        Set<String> seen = new HashSet<>();
        for (ZipArchiveEntry entry : entries) {
            String name = entry.getName();
            String problem = EntryNames.problem(name);
            if (problem != null) {
                throw fail(
                        "entry "
                                + EntryNames.quoted(name)
                                + " "
                                + problem
                                + ", which would be extracted unsafely"
                                + " (outside /var/task or under another name): store plain paths relative to the zip root ("
                                + FIX_REBUILD
                                + ")");
            }
            String method = EntryMethods.problem(entry.getMethod());
            if (method != null && !entry.isDirectory()) {
                throw fail("entry " + EntryNames.quoted(name) + " " + method + ": " + FIX_REBUILD);
            }
            String disagreement = EntryNames.disagreement(channel, entry);
            if (disagreement != null) {
                throw fail(
                        "entry "
                                + disagreement
                                + ", so different unzip tools would extract different files: "
                                + FIX_REBUILD);
            }
            if (entry.isUnixSymlink()) {
                throw fail(
                        "entry "
                                + EntryNames.quoted(name)
                                + " is a symbolic link, which Lambda packages must not rely on:"
                                + " put the file itself in the zip ("
                                + FIX_REBUILD
                                + ")");
            }
            if (!seen.add(name)) {
                throw fail(
                        "entry "
                                + EntryNames.quoted(name)
                                + " appears twice, so which one is extracted is undefined: "
                                + FIX_REBUILD);
            }
        }
    }

    private static PipelineException missingBootstrap(List<ZipArchiveEntry> entries) {
        Optional<String> nested =
                entries.stream()
                        .map(ZipArchiveEntry::getName)
                        .filter(n -> n.endsWith("/" + ZipRules.BOOTSTRAP))
                        .findFirst();
        if (nested.isPresent()) {
            return fail(
                    "bootstrap is at "
                            + EntryNames.quoted(nested.get())
                            + ", not at the zip root where Lambda looks for it"
                            + " (/var/task/bootstrap): zip from inside its folder, or "
                            + FIX_REBUILD);
        }
        return fail(
                "the zip has no 'bootstrap' entry at its root, so Lambda fails with Runtime.InvalidEntrypoint:"
                        + " add the compiled binary as 'bootstrap' ("
                        + FIX_REBUILD
                        + ")");
    }

    /**
     * Inflates one entry, counting bytes against the remaining unzipped budget and checking its
     * CRC.
     */
    private static long inflate(
            ZipFile zipFile, ZipArchiveEntry entry, OutputStream keep, long before, long max)
            throws IOException {
        CRC32 crc = new CRC32();
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = zipFile.getInputStream(entry)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (before + total > max) {
                    throw fail(
                            "the zip unpacks to more than "
                                    + max
                                    + " bytes, over Lambda's unzipped limit"
                                    + " (\"Unzipped size must be smaller than "
                                    + max
                                    + " bytes\", function plus layers):"
                                    + " make bootstrap smaller ([profile.release] strip, lto, opt-level = \"s\") or drop large includes");
                }
                crc.update(buffer, 0, n);
                if (keep != null) keep.write(buffer, 0, n);
            }
        }
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw fail(
                    "entry "
                            + EntryNames.quoted(entry.getName())
                            + " is corrupt (CRC mismatch): "
                            + FIX_REBUILD);
        }
        if (entry.getSize() != -1 && total != entry.getSize()) {
            throw fail(
                    "entry "
                            + EntryNames.quoted(entry.getName())
                            + " declares "
                            + entry.getSize()
                            + " bytes but holds "
                            + total
                            + " (corrupt zip): "
                            + FIX_REBUILD);
        }
        return total;
    }

    private static void checkMode(ZipArchiveEntry bootstrap) {
        if (bootstrap.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX) {
            throw fail(
                    "bootstrap has no Unix permissions (the zip was made by a non-Unix tool), so Lambda cannot"
                            + " execute it (Runtime.InvalidEntrypoint): "
                            + FIX_REBUILD
                            + ", or zip on Linux/macOS after chmod 755 bootstrap");
        }
        int mode = bootstrap.getUnixMode();
        int type = mode & S_IFMT;
        if (type != 0 && type != S_IFREG) {
            throw fail(
                    "bootstrap is not a regular file (mode "
                            + octal(mode)
                            + "): put the binary itself in the zip ("
                            + FIX_REBUILD
                            + ")");
        }
        if ((mode & 0111) != 0111) {
            throw fail(
                    "bootstrap has mode "
                            + octal(mode & 07777)
                            + ", not executable by everyone, and Lambda runs it as"
                            + " another user (\"fork/exec /var/task/bootstrap: permission denied\"): chmod 755 bootstrap and"
                            + " zip again, or "
                            + FIX_REBUILD);
        }
    }

    private static void checkReadable(ZipArchiveEntry entry) {
        if (entry.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX)
            return; // no Unix mode: Lambda extracts it readable
        int mode = entry.getUnixMode();
        if ((mode & S_IFMT) == 0 && (mode & 07777) == 0) return; // Unix host but no mode recorded
        if ((mode & 0444) != 0444) {
            throw fail(
                    "entry "
                            + EntryNames.quoted(entry.getName())
                            + " has mode "
                            + octal(mode & 07777)
                            + ", not readable by the Lambda"
                            + " runtime user: chmod 644 it and zip again, or "
                            + FIX_REBUILD);
        }
    }

    private static ElfFile checkElf(byte[] bytes) {
        String target = "build for aarch64-unknown-linux-gnu (`jbang build-zip@.` does)";
        ElfFile elf;
        try {
            // class and byte order first: a big-endian or 32-bit binary is described as such,
            // not as "truncated" because its offsets make no sense read little-endian
            ElfFile.Identity id = ElfFile.identify(bytes);
            if (!id.is64Bit() || !id.isLittleEndian()) {
                throw fail(
                        "bootstrap is a "
                                + id.describe()
                                + " ELF, but arm64 Lambda needs 64-bit little-endian"
                                + " aarch64: "
                                + target);
            }
            elf = ElfFile.parse(bytes);
        } catch (ElfFormatException e) {
            throw fail(
                    "bootstrap is not a valid ELF executable ("
                            + e.getMessage()
                            + "): this pipeline ships the"
                            + " compiled Rust binary; "
                            + FIX_REBUILD);
        }
        if (elf.machine() != ElfMachine.AARCH64) {
            throw fail(
                    "bootstrap is built for "
                            + elf.machineName()
                            + ", but the function runs on arm64 (AArch64) and"
                            + " would fail with \"exec format error\": "
                            + target);
        }
        if (!elf.is64Bit() || !elf.isLittleEndian()) {
            throw fail(
                    "bootstrap is a "
                            + (elf.is64Bit() ? "64" : "32")
                            + "-bit "
                            + (elf.isLittleEndian() ? "little" : "big")
                            + "-endian ELF, but arm64 Lambda needs 64-bit little-endian: "
                            + target);
        }
        String interpreter = elf.interpreter();
        if (interpreter != null && interpreter.contains("musl")) {
            throw fail(
                    "bootstrap asks for the musl loader "
                            + interpreter
                            + ", which provided.al2023 does not have:"
                            + " link it statically or "
                            + target);
        }
        return elf;
    }

    private static String checkGlibc(ElfFile elf, ZipRules rules) {
        Optional<GlibcVersion> highest = elf.highestGlibc();
        if (highest.isEmpty()) return "none";
        GlibcVersion max = rules.maxGlibcVersion();
        if (highest.get().isNewerThan(max)) {
            boolean al2023 = max.toString().equals(ZipRules.AL2023_GLIBC);
            throw fail(
                    "bootstrap requires "
                            + highest.get().symbolName()
                            + " but "
                            + (al2023 ? "provided.al2023 has " : "the limit is ")
                            + max
                            + ": build with cargo-zigbuild --target aarch64-unknown-linux-gnu."
                            + max
                            + (al2023
                                    ? " or in an Amazon Linux 2023 container"
                                    : " or on a system with glibc " + max + " or older")
                            + " (--max-glibc to change the limit)");
        }
        return highest.get().toString();
    }

    private static void checkRequired(List<ZipArchiveEntry> entries, ZipRules rules) {
        Set<String> names = new HashSet<>();
        entries.forEach(e -> names.add(e.getName()));
        for (String required : rules.requiredEntries()) {
            if (!names.contains(required)) {
                throw fail(
                        "declared include '"
                                + required
                                + "' is missing from the zip: add it next to bootstrap"
                                + " (list it in Cargo.toml [package.metadata.lambda.build] include and "
                                + FIX_REBUILD
                                + ")");
            }
        }
    }

    private static String octal(int mode) {
        return String.format(Locale.ROOT, "0%o", mode);
    }

    private static PipelineException fail(String message) {
        return PipelineException.verification(message);
    }
}
