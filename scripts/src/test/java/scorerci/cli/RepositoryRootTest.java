package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.Context;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;

/**
 * From any subdirectory the commands find the repository's files; typed paths stay relative to
 * where the user is.
 */
class RepositoryRootTest {
    static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir Path scratch;

    @Test
    void theRootIsTheNearestDirectoryWithTheCatalog() throws Exception {
        Path root = Files.createDirectories(scratch.resolve("repo"));
        Files.writeString(root.resolve("jbang-catalog.json"), "{}");
        Path deep = Files.createDirectories(root.resolve("scorer/src/bin"));
        Context context = CommandHarness.context().inDirectory(deep);
        assertThat(context.repoRoot()).isEqualTo(root);
        assertThat(CommandHarness.context().inDirectory(scratch).repoRoot())
                .isEqualTo(scratch); // none: where we are
    }

    @Test
    void defaultPathsPointAtTheRootAndHelpSaysSo() {
        var help =
                CommandHarness.create().workDir(REPO.resolve("scripts")).run("build-zip", "--help");
        assertThat(help.out()).contains("default: ../scorer");
        var atRoot = CommandHarness.create().workDir(REPO).run("build-zip", "--help");
        assertThat(atRoot.out()).contains("default: scorer)");
    }

    @Test
    void toggleTestsFindsTheWorkflowsFromASubdirectory() {
        var r =
                CommandHarness.create()
                        .workDir(REPO.resolve("scripts/src"))
                        .run("toggle-tests", "status");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains(".github/workflows/");
    }

    @Test
    void aTypedPathStaysRelativeToTheWorkingDirectory() throws Exception {
        Path root = Files.createDirectories(scratch.resolve("repo"));
        Files.writeString(root.resolve("jbang-catalog.json"), "{}");
        Path sub = Files.createDirectories(root.resolve("sub"));
        var r = CommandHarness.create().workDir(sub).run("build-zip", "--crate", "mycrate");
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code);
        assertThat(r.err()).contains(sub.resolve("mycrate").toString());
        var byDefault = CommandHarness.create().workDir(sub).run("build-zip");
        assertThat(byDefault.err()).contains(root.resolve("scorer").toString());
    }
}
