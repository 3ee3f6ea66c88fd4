package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.workflows.WorkflowFixtures.install;
import static scorerci.workflows.WorkflowFixtures.toggle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scorerci.testing.CommandHarness.Result;

/**
 * Real actionlint 1.7.12 with shellcheck on every workflow of the repository, and after every kind
 * of toggle.
 */
class ActionlintTest {
    static final Path WORKFLOWS = Path.of(".github/workflows").toAbsolutePath();

    @TempDir Path repo;

    static Path[] realWorkflows() throws IOException {
        try (Stream<Path> s = Files.list(WORKFLOWS)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toArray(Path[]::new);
        }
    }

    @Test
    void everyWorkflowOfTheRepositoryIsLintClean() throws IOException {
        Path[] files = realWorkflows();
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains(
                        "build_and_deploy_generic.yml",
                        "build_and_deploy_review.yml",
                        "build_and_deploy_staging.yml",
                        "build_and_deploy_production.yml",
                        "release_and_deploy_production.yml",
                        "test_generic.yml",
                        "ci.yml");
        assertThat(Actionlint.lint(files)).isEmpty();
    }

    @Test
    void theLinterReallyLints() throws IOException {
        Path bad =
                Files.writeString(
                        repo.resolve("bad.yml"),
                        """
                on: pull_request
                jobs:
                  a:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "${{ github.event.pull_request.title }}"
                """);
        assertThat(Actionlint.lint(bad))
                .singleElement()
                .asString()
                .contains("potentially untrusted");
    }

    @Test
    void shellcheckChecksRunScripts() throws IOException {
        Path bad =
                Files.writeString(
                        repo.resolve("unquoted.yml"),
                        """
                on: push
                jobs:
                  a:
                    runs-on: ubuntu-latest
                    steps:
                      - run: rm -rf $DIR/*
                """);
        assertThat(Actionlint.lint(bad))
                .anySatisfy(p -> assertThat(p).contains("SC2086", "[shellcheck]"));
    }

    @Test
    void theRepositoryWorkflowsStayLintCleanAfterDisableAndEnable() throws IOException {
        Path dir = Files.createDirectories(repo.resolve(".github/workflows"));
        for (Path p : realWorkflows()) Files.copy(p, dir.resolve(p.getFileName()));
        ActWorkspace.copyTree(
                Path.of(".github/actions"),
                repo.resolve(".github/actions")); // local actions resolve
        Result disable =
                toggle(
                        repo,
                        "2025-01-10",
                        "disable",
                        "--reason",
                        "flaky on ARM, see #7",
                        "--until",
                        "2025-02-01");
        assertThat(disable.exitCode()).as(disable.toString()).isZero();
        assertThat(disable.out().lines()).hasSize(4);
        assertThat(Actionlint.lint(allIn(dir))).isEmpty();
        assertThat(toggle(repo, null, "enable").exitCode()).isZero();
        assertThat(Actionlint.lint(allIn(dir))).isEmpty();
        for (Path p : realWorkflows()) {
            assertThat(Files.readString(dir.resolve(p.getFileName())))
                    .as(p.toString())
                    .isEqualTo(Files.readString(p));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "enabled.yml",
                "mixed.yml",
                "legacy.yml",
                "legacy-release.yml",
                "disabled.yml"
            })
    void fixturesAreLintCleanInEveryState(String fixture) throws IOException {
        Path dir = install(repo, Map.of("w.yml", fixture));
        Path file = dir.resolve("w.yml");
        assertThat(Actionlint.lint(file)).as("as given").isEmpty();
        assertThat(toggle(repo, "2025-01-10", "disable", "--reason", "r").exitCode()).isZero();
        assertThat(Actionlint.lint(file)).as("after disable").isEmpty();
        assertThat(toggle(repo, null, "enable").exitCode()).isZero();
        assertThat(Actionlint.lint(file)).as("after enable").isEmpty();
    }

    private static Path[] allIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.sorted().toList();
            return files.toArray(Path[]::new);
        }
    }
}
