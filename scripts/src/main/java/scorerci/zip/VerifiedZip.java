package scorerci.zip;

import java.nio.file.Path;
import java.util.List;

/**
 * A zip that passed {@link ZipVerifier}: where it is, its sizes and hashes, and what its bootstrap
 * needs.
 *
 * @param size zipped size in bytes
 * @param unzippedSize sum of the entries' uncompressed sizes
 * @param sha256Hex SHA-256 of the zip bytes, lowercase hex (the artifact digest form)
 * @param codeSha256 the same hash as Lambda reports it: standard base64 of the raw 32 bytes
 * @param machine bootstrap's architecture, "aarch64"
 * @param highestGlibc newest GLIBC_x.y bootstrap needs, e.g. "2.34"; "none" for a static binary
 * @param entries entry names in the zip's order
 */
public record VerifiedZip(
        Path path,
        long size,
        long unzippedSize,
        String sha256Hex,
        String codeSha256,
        String machine,
        String highestGlibc,
        List<String> entries) {
    public VerifiedZip {
        entries = List.copyOf(entries);
    }
}
