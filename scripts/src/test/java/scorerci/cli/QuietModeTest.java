package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.elf.ElfFixtures;
import scorerci.testing.CommandHarness;
import scorerci.zip.LambdaZipWriter;

/** -q means the same everywhere: the results on stdout, nothing on stderr, nothing else. */
class QuietModeTest {
    static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir Path repo;

    Path zip;

    @BeforeEach
    void aRepositoryWithABuiltZip() throws Exception {
        Files.writeString(repo.resolve("jbang-catalog.json"), "{}");
        Path bootstrap =
                ElfFixtures.aarch64(
                        Files.createDirectories(repo.resolve("elf")),
                        "bootstrap",
                        ElfFixtures.HELLO);
        zip =
                Files.createDirectories(repo.resolve("scorer/target/lambda/rust-scorer"))
                        .resolve("bootstrap.zip");
        LambdaZipWriter.withDosEpoch().write(zip, bootstrap, List.of());
    }

    private CommandHarness.Result quiet(Path workDir, String... args) {
        return CommandHarness.create().workDir(workDir).run(args);
    }

    @Test
    void uploadAndDownloadPrintTheirResults() {
        var up = quiet(repo, "upload-artifact", "-q", "--tag", "q1");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.out())
                .contains(
                        "artifact-name: rust-scorer-q1.zip", "digest: sha256:", "status: uploaded");
        assertThat(up.err()).isEmpty();

        var down = quiet(repo, "download-artifact", "-q", "--tag", "q1");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.out()).contains("path: ", "digest: sha256:", "code-sha256: ", "verified: ");
        assertThat(down.err()).isEmpty();
    }

    @Test
    void verifyZipAndToggleTestsPrintTheirResults() {
        var verify = quiet(repo, "verify-zip", "-q", zip.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("machine:      aarch64");
        assertThat(verify.err()).isEmpty();

        var status = quiet(REPO, "toggle-tests", "status", "-q");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("WORKFLOW", ".github/workflows/");
        assertThat(status.err()).isEmpty();

        var check = quiet(REPO, "toggle-tests", "check", "-q");
        assertThat(check.out()).isNotBlank();
        assertThat(check.err()).isEmpty();
    }

    @Test
    void quietWithoutResultsIsStillOnlyErrors() {
        var r = quiet(repo, "download-artifact", "-q", "--tag", "never-uploaded");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: ");
    }
}
