package scorerci.packaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import scorerci.files.AtomicFile;

/**
 * bootstrap.zip.json, written beside the zip: what was built, from which commit, with which
 * toolchain, and the zip's sizes and hashes. {@code inputsSha256} covers bootstrap, the includes
 * and the timestamp; an unchanged value lets a rerun keep the zip as is. {@code inputsFingerprint}
 * (sizes, mtimes, inodes) lets a rerun skip even that hashing.
 *
 * <p>What decides the zip's bytes is recorded here, so a rebuild elsewhere can be set up to match:
 * the toolchain route and versions, {@code cargoLockSha256}, {@code sourceDateEpoch} and {@code
 * rustflags} (build paths appear as $CRATE_DIR, $TARGET_DIR, $CARGO_HOME, $SYSROOT: they do not
 * change the bytes).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildManifest(
        String tag,
        String artifactName,
        String commit,
        String crate,
        String crateVersion,
        String target,
        String toolchain,
        Map<String, String> toolchainVersions,
        String zip,
        long size,
        long unzippedSize,
        String sha256,
        String codeSha256,
        String machine,
        String highestGlibc,
        String maxGlibc,
        List<String> entries,
        String timestamp,
        String inputsSha256,
        String inputsFingerprint,
        String cargoLockSha256,
        String sourceDateEpoch,
        List<String> rustflags,
        String provenance) {
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Loads Jackson's serializers ahead of time (a background thread does it while cargo runs). */
    static void warmUp() {
        try {
            JSON.readValue(
                    JSON.writeValueAsBytes(
                            new BuildManifest(
                                    "t",
                                    "a",
                                    "c",
                                    "k",
                                    "v",
                                    "t",
                                    "t",
                                    Map.of("k", "v"),
                                    "z",
                                    1,
                                    1,
                                    "s",
                                    "c",
                                    "m",
                                    "g",
                                    "g",
                                    List.of("e"),
                                    "t",
                                    "i",
                                    "f",
                                    "l",
                                    "e",
                                    List.of("r"),
                                    "p")),
                    BuildManifest.class);
        } catch (IOException e) {
            // only a warm-up
        }
    }

    public static Path pathFor(Path zip) {
        return zip.resolveSibling(zip.getFileName() + ".json");
    }

    /**
     * The manifest of a previous run, or null if absent or unreadable (then it is simply
     * rewritten).
     */
    public static BuildManifest readIfPresent(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return JSON.readValue(file.toFile(), BuildManifest.class);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Written through a temporary file and a rename (AtomicFile), so readers never see half a
     * manifest.
     */
    public void write(Path file) throws IOException {
        byte[] json =
                (JSON.writeValueAsString(this) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicFile.write(file, AtomicFile.READABLE, temp -> Files.write(temp, json));
    }
}
