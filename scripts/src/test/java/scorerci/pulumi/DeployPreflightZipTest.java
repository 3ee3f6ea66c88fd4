package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.provenance.ProvenanceStatement;
import scorerci.zip.VerifiedZip;

/**
 * deploy's zip check: the entries scorer/Cargo.toml declares (no constant of its own), and the
 * provenance statement, when it came along, must be about the zip being deployed (issue 12).
 */
class DeployPreflightZipTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir Path root;

    private Path repoWithZip() throws Exception {
        Files.createDirectories(root.resolve("scorer"));
        Files.copy(REPO.resolve("scorer/Cargo.toml"), root.resolve("scorer/Cargo.toml"));
        Path zip = root.resolve("rust-scorer-artifact/bootstrap.zip");
        DeployFixture.writeZip(zip, "{\"weights\": 1}\n");
        return zip;
    }

    private static ProvenanceStatement.Facts about(String sha) {
        return new ProvenanceStatement.Facts(
                "bootstrap.zip",
                sha,
                "rust-scorer",
                "0.1.0",
                null,
                null,
                "system",
                "aarch64-unknown-linux-gnu",
                Map.of(),
                List.of(),
                null,
                "2.34",
                ProvenanceStatement.Builder.fromEnv(Map.of()));
    }

    @Test
    void theZipMustMatchItsStatementWhenOneIsBesideIt() throws Exception {
        Path zip = repoWithZip();
        VerifiedZip ok = DeployPreflight.verifiedZip(zip, root);
        assertThat(ok.entries()).containsExactly("bootstrap", "collector.yaml", "weights.json");
        ProvenanceStatement.write(zip, about(ok.sha256Hex()));
        assertThat(DeployPreflight.verifiedZip(zip, root).sha256Hex()).isEqualTo(ok.sha256Hex());

        ProvenanceStatement.write(zip, about("0".repeat(64)));
        assertThatThrownBy(() -> DeployPreflight.verifiedZip(zip, root))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining(
                        "bootstrap.zip.intoto.json beside "
                                + zip
                                + " is about sha256:"
                                + "0".repeat(64))
                .hasMessageContaining("hashes to sha256:" + ok.sha256Hex())
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.VERIFICATION);
    }

    @Test
    void withoutTheCratesDeclarationDeployRefusesToGuess() throws Exception {
        Path zip = repoWithZip();
        Files.delete(root.resolve("scorer/Cargo.toml"));
        Path elsewhere = Files.createDirectories(root.resolve("x"));
        // root has no scorer/Cargo.toml any more; walking up from a temp dir finds none either
        assertThatThrownBy(() -> DeployPreflight.verifiedZip(zip, elsewhere))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("no scorer/Cargo.toml in " + elsewhere)
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.PREREQUISITE);
    }
}
