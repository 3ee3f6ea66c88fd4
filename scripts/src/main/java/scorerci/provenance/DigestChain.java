package scorerci.provenance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * One zip's digests from build to Lambda, each compared with the one before it: build sha256 (the
 * provenance statement's subject) → artifact digest (the store's record of the zipped artifact,
 * checked against the received bytes) → downloaded sha256 (bootstrap.zip as it landed) → deployed
 * CodeSha256 (Lambda's base64 of the same SHA-256). download-artifact records the first three
 * beside the zip ({@code bootstrap.zip.digests.json}); deploy and verify-deploy add the last and
 * print the whole chain. A link nobody saw is shown as such, never as matched.
 *
 * @param build hex sha256 the build recorded for the zip, or null (no statement came along)
 * @param artifactName the artifact it travelled in, or null
 * @param artifactDigest hex sha256 of the zipped artifact as the store recorded it, or null
 * @param artifactMatched the received bytes hashed to {@code artifactDigest}
 * @param downloaded hex sha256 of bootstrap.zip as it is now
 * @param deployedCodeSha256 Lambda's CodeSha256 (base64), or null before deployment
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DigestChain(
        String build,
        String artifactName,
        String artifactDigest,
        boolean artifactMatched,
        String downloaded,
        String deployedCodeSha256) {
    public static final String SUFFIX = ".digests.json";
    private static final long MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Path pathFor(Path zip) {
        return zip.resolveSibling(zip.getFileName() + SUFFIX);
    }

    /**
     * The chain for the zip as it lies here: the record download-artifact left when its downloaded
     * digest is still this zip's (else the artifact link is unknown), and the build digest from the
     * statement beside it.
     */
    public static DigestChain of(Path zip, String zipSha256) {
        DigestChain recorded = readIfPresent(pathFor(zip));
        String build = null;
        try {
            List<String> subjects =
                    Files.isRegularFile(ProvenanceStatement.pathFor(zip))
                            ? ProvenanceStatement.subjectDigests(ProvenanceStatement.pathFor(zip))
                            : List.of();
            build =
                    subjects.contains(zipSha256)
                            ? zipSha256
                            : subjects.isEmpty() ? null : subjects.get(0);
        } catch (RuntimeException unreadable) {
            // an unreadable statement leaves the build link unknown; the checks elsewhere report it
        }
        if (recorded != null && zipSha256.equals(recorded.downloaded())) {
            return new DigestChain(
                    build != null ? build : recorded.build(),
                    recorded.artifactName(),
                    recorded.artifactDigest(),
                    recorded.artifactMatched(),
                    zipSha256,
                    null);
        }
        return new DigestChain(build, null, null, false, zipSha256, null);
    }

    /**
     * What download-artifact saw: the build digest beside the zip, the artifact it came in and the
     * zip's own.
     */
    public static DigestChain downloaded(
            Path zip, String zipSha256, String artifactName, String artifactDigest) {
        DigestChain here = of(zip, zipSha256);
        return new DigestChain(
                here.build(),
                artifactName,
                artifactDigest,
                artifactDigest != null,
                zipSha256,
                null);
    }

    public DigestChain deployed(String codeSha256) {
        return new DigestChain(
                build, artifactName, artifactDigest, artifactMatched, downloaded, codeSha256);
    }

    /** The deployed CodeSha256 as hex, or null when absent or not base64 of 32 bytes. */
    public String deployedHex() {
        if (deployedCodeSha256 == null) return null;
        try {
            byte[] raw = Base64.getDecoder().decode(deployedCodeSha256);
            return raw.length == 32 ? HexFormat.of().formatHex(raw) : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** No link contradicts another (unknown links do not count against it). */
    public boolean consistent() {
        return (build == null || build.equals(downloaded))
                && (artifactDigest == null || artifactMatched)
                && (deployedCodeSha256 == null || downloaded.equals(deployedHex()));
    }

    /** The rows: step, digest, verdict. */
    public List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        rows.add(
                new String[] {
                    "build",
                    build == null ? "(unknown)" : "sha256:" + build,
                    build == null
                            ? "no provenance statement came with the zip"
                            : "bootstrap.zip.intoto.json subject"
                });
        rows.add(
                new String[] {
                    "artifact",
                    artifactDigest == null ? "(unknown)" : "sha256:" + artifactDigest,
                    artifactName == null
                            ? "not fetched by download-artifact here"
                            : artifactDigest == null
                                    ? artifactName + ": the store recorded no digest"
                                    : artifactName
                                            + (artifactMatched
                                                    ? ": matched the received bytes"
                                                    : ": MISMATCH with the received bytes")
                });
        rows.add(
                new String[] {
                    "downloaded",
                    "sha256:" + downloaded,
                    build == null
                            ? "no build digest to compare"
                            : build.equals(downloaded) ? "matched build" : "MISMATCH with build"
                });
        String hex = deployedHex();
        rows.add(
                new String[] {
                    "deployed",
                    deployedCodeSha256 == null
                            ? "(not deployed)"
                            : "CodeSha256 " + deployedCodeSha256,
                    deployedCodeSha256 == null
                            ? "not checked"
                            : downloaded.equals(hex)
                                    ? "matched downloaded (= sha256:" + hex + ")"
                                    : "MISMATCH with downloaded"
                                            + (hex == null ? "" : " (= sha256:" + hex + ")")
                });
        return rows;
    }

    /** Plain lines for stdout. */
    public List<String> lines() {
        List<String> lines =
                new ArrayList<>(List.of("digest chain: build → artifact → downloaded → deployed"));
        for (String[] r : rows()) lines.add(String.format("  %-11s %-76s %s", r[0], r[1], r[2]));
        return lines;
    }

    /** A Markdown table for the job summary. */
    public String markdown() {
        StringBuilder md =
                new StringBuilder(
                        "### Digest chain "
                                + (consistent() ? "✅" : "❌")
                                + "\n\n"
                                + "| Step | Digest | Verdict |\n|---|---|---|\n");
        for (String[] r : rows())
            md.append("| ")
                    .append(r[0])
                    .append(" | `")
                    .append(r[1])
                    .append("` | ")
                    .append(r[2])
                    .append(" |\n");
        return md.append('\n').toString();
    }

    public void write(Path file) throws IOException {
        Files.write(
                file,
                (JSON.writeValueAsString(this) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static DigestChain readIfPresent(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) return null;
            DigestChain chain = JSON.readValue(bytes, DigestChain.class);
            return chain.downloaded() != null && chain.downloaded().matches("[0-9a-f]{64}")
                    ? chain
                    : null;
        } catch (IOException e) {
            return null;
        }
    }
}
