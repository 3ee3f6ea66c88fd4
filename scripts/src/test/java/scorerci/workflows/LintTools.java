package scorerci.workflows;

import java.nio.file.Files;
import java.nio.file.Path;
import scorerci.testing.RequiredTools;

/**
 * Where the real linters are: $SCORER_ACTIONLINT / $SCORER_ZIZMOR (scripts/run-tests.sh exports
 * what scripts/tools/actionlint.sh and zizmor.sh printed), else the versioned tool cache. A missing
 * tool fails the test when CI or SCORER_REQUIRE_TOOLS=1 is set and skips it (naming the installer)
 * otherwise.
 */
final class LintTools {
    static final String ACTIONLINT_VERSION = "v1.7.12";
    static final String ZIZMOR_VERSION = "1.33.1";
    static final Path CACHE =
            Path.of(System.getProperty("user.home"), ".cache/scorer-pipeline/tools");

    private LintTools() {}

    static Path actionlint() {
        return require(
                "SCORER_ACTIONLINT",
                CACHE.resolve("actionlint-" + ACTIONLINT_VERSION + "/actionlint"),
                "scripts/tools/actionlint.sh");
    }

    static Path zizmor() {
        return require(
                "SCORER_ZIZMOR",
                CACHE.resolve("zizmor-" + ZIZMOR_VERSION + "/venv/bin/zizmor"),
                "scripts/tools/zizmor.sh");
    }

    static Path require(String variable, Path cached, String installer) {
        String configured = System.getenv(variable);
        Path tool = configured != null && !configured.isBlank() ? Path.of(configured) : cached;
        if (Files.isExecutable(tool)) return tool;
        missing(tool + " not found; install it with " + installer + " (or set " + variable + ")");
        return tool;
    }

    static void missing(String message) {
        RequiredTools.missing(message);
    }
}
