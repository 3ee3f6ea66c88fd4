package scorerci.zip;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import scorerci.core.PipelineException;
import scorerci.elf.GlibcVersion;

/**
 * What a valid provided.al2023 arm64 zip must satisfy (see lambda-zip.md): the newest glibc symbol
 * version bootstrap may need, Lambda's zipped and unzipped size limits, and the entries that must
 * be present. {@code bootstrap} is always required.
 */
public record ZipRules(
        String maxGlibc, long maxZippedBytes, long maxUnzippedBytes, List<String> requiredEntries) {
    /** glibc of Amazon Linux 2023, the provided.al2023 runtime. */
    public static final String AL2023_GLIBC = "2.34";

    /** "Zipped size must be smaller than 52428800 bytes" (direct upload). */
    public static final long LAMBDA_MAX_ZIPPED = 52_428_800L;

    /** "Unzipped size must be smaller than 262144000 bytes" (function plus layers). */
    public static final long LAMBDA_MAX_UNZIPPED = 262_144_000L;

    public static final String BOOTSTRAP = "bootstrap";

    public ZipRules {
        GlibcVersion parsed = GlibcVersion.parseOrNull(maxGlibc);
        if (parsed == null) {
            throw PipelineException.usage(
                    "--max-glibc '"
                            + maxGlibc
                            + "' is not a glibc version; write it like "
                            + AL2023_GLIBC);
        }
        maxGlibc = parsed.toString();
        if (maxZippedBytes <= 0 || maxUnzippedBytes <= 0)
            throw PipelineException.usage("size limits must be positive");
        LinkedHashSet<String> required = new LinkedHashSet<>();
        required.add(BOOTSTRAP);
        required.addAll(requiredEntries);
        requiredEntries = List.copyOf(required);
    }

    public static ZipRules defaults() {
        return new ZipRules(
                AL2023_GLIBC, LAMBDA_MAX_ZIPPED, LAMBDA_MAX_UNZIPPED, List.of(BOOTSTRAP));
    }

    /** "2.34" or "GLIBC_2.34"; anything else is a USAGE error. */
    public ZipRules withMaxGlibc(String version) {
        return new ZipRules(version, maxZippedBytes, maxUnzippedBytes, requiredEntries);
    }

    /** Entries that must be present besides bootstrap (the crate's declared includes). */
    public ZipRules withRequiredEntries(List<String> entries) {
        List<String> all = new ArrayList<>(List.of(BOOTSTRAP));
        all.addAll(entries);
        return new ZipRules(maxGlibc, maxZippedBytes, maxUnzippedBytes, all);
    }

    public ZipRules withMaxZippedBytes(long bytes) {
        return new ZipRules(maxGlibc, bytes, maxUnzippedBytes, requiredEntries);
    }

    public ZipRules withMaxUnzippedBytes(long bytes) {
        return new ZipRules(maxGlibc, maxZippedBytes, bytes, requiredEntries);
    }

    public GlibcVersion maxGlibcVersion() {
        return GlibcVersion.parse(maxGlibc);
    }
}
