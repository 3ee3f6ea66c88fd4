package scorerci.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.elf.ElfFixtures;
import scorerci.testing.CommandHarness;

/**
 * The one list of required zip entries: scorer/Cargo.toml's [package.metadata.lambda.build]
 * include, read by verify-zip inside the repository without any flag (issue 12: a zip without
 * collector.yaml passed verify-zip but failed deploy).
 */
class DeclaredEntriesTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir static Path bins;
    static Path arm;

    @TempDir Path dir;

    @BeforeAll
    static void compile() throws Exception {
        arm = ElfFixtures.aarch64(bins, "arm", ElfFixtures.HELLO);
    }

    private Path zipWith(String name, String... includes) throws Exception {
        List<ZipInput> inputs = new java.util.ArrayList<>();
        for (String include : includes)
            inputs.add(new ZipInput(include, Files.writeString(dir.resolve(include), "x: 1\n")));
        Path zip = dir.resolve(name);
        LambdaZipWriter.withDosEpoch().write(zip, arm, inputs);
        return zip;
    }

    @Test
    void theRepositoryDeclaresCollectorConfigAndWeights() {
        DeclaredEntries declared =
                DeclaredEntries.findFrom(REPO.resolve("scripts/src")).orElseThrow();
        assertThat(declared.cargoToml()).isEqualTo(REPO.resolve("scorer/Cargo.toml"));
        assertThat(declared.required())
                .containsExactly("bootstrap", "collector.yaml", "weights.json");
    }

    @Test
    void verifyZipInsideTheRepositoryRejectsAZipWithoutCollectorYamlWithoutAnyFlag()
            throws Exception {
        Path zip = zipWith("no-collector.zip", "weights.json");
        for (Path where : List.of(REPO, REPO.resolve("scorer"))) {
            CommandHarness.Result result =
                    CommandHarness.create().workDir(where).run("verify-zip", zip.toString());
            assertThat(result.exitCode())
                    .as(result.toString())
                    .isEqualTo(ExitCode.VERIFICATION.code);
            assertThat(result.err())
                    .contains("declared include 'collector.yaml' is missing from the zip");
        }
        // outside any checkout only bootstrap is required, and --require still adds
        assertThat(
                        CommandHarness.create()
                                .workDir(dir)
                                .run("verify-zip", zip.toString())
                                .exitCode())
                .isZero();
        CommandHarness.Result required =
                CommandHarness.create()
                        .workDir(dir)
                        .run("verify-zip", zip.toString(), "--require", "collector.yaml");
        assertThat(required.exitCode())
                .as(required.toString())
                .isEqualTo(ExitCode.VERIFICATION.code);
    }

    @Test
    void verifyZipInsideTheRepositoryAcceptsTheDeclaredEntriesAndRequireAddsToThem()
            throws Exception {
        Path zip = zipWith("full.zip", "collector.yaml", "weights.json");
        CommandHarness.Result ok =
                CommandHarness.create().workDir(REPO).run("verify-zip", zip.toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("entries:      bootstrap, collector.yaml, weights.json");
        CommandHarness.Result more =
                CommandHarness.create()
                        .workDir(REPO)
                        .run("verify-zip", zip.toString(), "--require", "extra.txt");
        assertThat(more.exitCode()).as(more.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(more.err()).contains("'extra.txt' is missing");
    }

    @Test
    void aCargoTomlWithoutTheKeyDeclaresNothingBesidesBootstrap() throws Exception {
        Path toml =
                Files.writeString(
                        dir.resolve("Cargo.toml"),
                        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n");
        assertThat(DeclaredEntries.read(toml).required()).containsExactly("bootstrap");
    }

    @Test
    void badDeclarationsAreUsageErrorsThatShowTheRightShape() throws Exception {
        for (String body :
                List.of(
                        "[package.metadata.lambda.build]\ninclude = \"collector.yaml\"\n",
                        "[package.metadata.lambda.build]\ninclude = [1]\n",
                        "[package.metadata.lambda.build]\ninclude = [\"../secrets.txt\"]\n",
                        "[package.metadata.lambda.build]\ninclude = [\"/etc/passwd\"]\n")) {
            Path toml = Files.writeString(dir.resolve("Cargo.toml"), body);
            assertThatThrownBy(() -> DeclaredEntries.read(toml))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("[package.metadata.lambda.build] include in " + toml)
                    .hasMessageContaining("include = [\"collector.yaml\", \"weights.json\"]")
                    .extracting(e -> ((PipelineException) e).exitCode())
                    .isEqualTo(ExitCode.USAGE);
        }
        Path broken = Files.writeString(dir.resolve("Cargo.toml"), "[package\nname = \n");
        assertThatThrownBy(() -> DeclaredEntries.read(broken))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining(broken + " cannot be read as TOML");
    }

    /** dir/Cargo.toml declaring one include. */
    private Path cargoTomlIncluding(String include) throws Exception {
        return Files.writeString(
                dir.resolve("Cargo.toml"),
                "[package.metadata.lambda.build]\ninclude = [\"" + include + "\"]\n");
    }

    @Test
    void theListIsRememberedUnderTheFilesDigestAndAChangedFileIsReadAgain() throws Exception {
        Path toml = cargoTomlIncluding("collector.yaml");
        assertThat(DeclaredEntries.read(toml).includes()).containsExactly("collector.yaml");
        Path memo = DeclaredEntries.memoFile(toml);
        assertThat(memo).isRegularFile().hasParent(dir.resolve("target"));

        // the second read answers from the memo: prove it with a memo that differs from the file
        String header = Files.readAllLines(memo).get(0);
        Files.writeString(memo, header + "\nfrom-memo.yaml");
        assertThat(DeclaredEntries.read(toml).includes()).containsExactly("from-memo.yaml");

        // any change to the file changes the digest: parsed again, and remembered anew
        cargoTomlIncluding("weights.json");
        assertThat(DeclaredEntries.read(toml).includes()).containsExactly("weights.json");
        assertThat(Files.readString(memo)).endsWith("\nweights.json");
    }

    @Test
    void aMemoHoldingAnUnsafeNameIsIgnoredAndTheFileParsed() throws Exception {
        Path toml = cargoTomlIncluding("collector.yaml");
        DeclaredEntries.read(toml);
        Path memo = DeclaredEntries.memoFile(toml);
        String header = Files.readAllLines(memo).get(0);
        for (String hostile : List.of("../secrets.txt", "/etc/passwd", "a\u001b[31m")) {
            Files.writeString(memo, header + "\n" + hostile);
            assertThat(DeclaredEntries.read(toml).includes()).containsExactly("collector.yaml");
        }
    }

    @Test
    void whereTheMemoCannotBeWrittenTheListIsStillRead() throws Exception {
        Path toml = cargoTomlIncluding("collector.yaml");
        Files.writeString(dir.resolve("target"), "a file where cargo's target directory would be");
        assertThat(DeclaredEntries.read(toml).includes()).containsExactly("collector.yaml");
        assertThat(DeclaredEntries.read(toml).includes()).containsExactly("collector.yaml");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("Cargo.toml", "target");
        }
    }
}
