package scorerci.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.Digests;

/**
 * The digest chain build → artifact → downloaded → deployed: each link matched, mismatched or
 * unknown.
 */
class DigestChainTest {
    @TempDir Path dir;

    private Path zipWithStatement(String content) throws Exception {
        Path zip = Files.writeString(dir.resolve("bootstrap.zip"), content);
        ProvenanceStatement.write(
                zip,
                new ProvenanceStatement.Facts(
                        "bootstrap.zip",
                        sha(zip),
                        "c",
                        "1",
                        null,
                        null,
                        "system",
                        "t",
                        Map.of(),
                        List.of(),
                        null,
                        "2.34",
                        ProvenanceStatement.Builder.fromEnv(Map.of())));
        return zip;
    }

    private static String sha(Path file) throws Exception {
        return Digests.hex(Digests.sha256(file));
    }

    private static String base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    @Test
    void aDownloadedZipCarriesItsChainToTheDeployment() throws Exception {
        Path zip = zipWithStatement("bytes");
        String sha = sha(zip);
        DigestChain.downloaded(zip, sha, "rust-scorer-abc.zip", "d".repeat(64))
                .write(DigestChain.pathFor(zip));

        DigestChain chain = DigestChain.of(zip, sha).deployed(base64(sha));
        assertThat(chain.consistent()).isTrue();
        assertThat(String.join("\n", chain.lines()))
                .contains("build       sha256:" + sha)
                .contains("bootstrap.zip.intoto.json subject")
                .contains("artifact    sha256:" + "d".repeat(64))
                .contains("rust-scorer-abc.zip: matched the received bytes")
                .contains("downloaded  sha256:" + sha)
                .contains("matched build")
                .contains("deployed    CodeSha256 " + base64(sha))
                .contains("matched downloaded (= sha256:" + sha + ")");
        assertThat(chain.markdown())
                .startsWith("### Digest chain ✅")
                .contains("| deployed | `CodeSha256 " + base64(sha) + "`");

        DigestChain wrong = DigestChain.of(zip, sha).deployed(base64("e".repeat(64)));
        assertThat(wrong.consistent()).isFalse();
        assertThat(String.join("\n", wrong.lines()))
                .contains("MISMATCH with downloaded (= sha256:" + "e".repeat(64) + ")");
        assertThat(wrong.markdown()).startsWith("### Digest chain ❌");
    }

    @Test
    void unknownLinksAreShownAsUnknownNeverAsMatched() throws Exception {
        Path zip =
                Files.writeString(dir.resolve("bootstrap.zip"), "no statement, no download record");
        DigestChain chain = DigestChain.of(zip, sha(zip));
        assertThat(String.join("\n", chain.lines()))
                .contains("build       (unknown)")
                .contains("no provenance statement came with the zip")
                .contains("not fetched by download-artifact here")
                .contains("no build digest to compare")
                .contains("(not deployed)")
                .doesNotContain("matched");
        assertThat(chain.deployed("not base64!").consistent()).isFalse();
    }

    @Test
    void aRecordAboutOtherBytesIsIgnoredAndAStoreWithoutDigestIsSaidSo() throws Exception {
        Path zip = zipWithStatement("first");
        DigestChain.downloaded(zip, sha(zip), "rust-scorer-a.zip", null)
                .write(DigestChain.pathFor(zip));
        assertThat(String.join("\n", DigestChain.of(zip, sha(zip)).lines()))
                .contains("rust-scorer-a.zip: the store recorded no digest");
        Files.writeString(zip, "replaced later by hand");
        DigestChain later = DigestChain.of(zip, sha(zip));
        assertThat(later.artifactName()).isNull();
        assertThat(String.join("\n", later.lines())).contains("MISMATCH with build");
    }
}
