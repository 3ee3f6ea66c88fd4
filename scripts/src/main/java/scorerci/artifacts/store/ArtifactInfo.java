package scorerci.artifacts.store;

import java.time.Instant;

/**
 * One artifact as a store lists it.
 *
 * @param id the artifact's database id (GitHub) or store id (local)
 * @param size bytes of the zipped artifact
 * @param digest SHA-256 of those bytes as bare lowercase hex, or null when the service did not
 *     record one (v3-era uploads)
 * @param expiresAt null when unknown
 * @param owner the Results service backend ids of the job that uploaded it (twirp only, else null):
 *     GetSignedArtifactURL must be asked with the uploader's ids, not ours
 */
public record ArtifactInfo(
        long id,
        String name,
        long size,
        String digest,
        Instant createdAt,
        Instant expiresAt,
        boolean expired,
        BackendIds owner) {

    /** The digest in the service's own notation, "sha256:&lt;hex&gt;". */
    public String prefixedDigest() {
        return digest == null ? "" : "sha256:" + digest;
    }

    /** Parses "sha256:&lt;hex&gt;" (or bare hex) into bare lowercase hex; null stays null. */
    public static String bareDigest(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        return v.startsWith("sha256:") ? v.substring("sha256:".length()) : v;
    }
}
