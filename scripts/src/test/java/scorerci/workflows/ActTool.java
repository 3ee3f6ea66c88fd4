package scorerci.workflows;

import java.nio.file.Files;
import java.nio.file.Path;
import scorerci.testing.RequiredTools;

/**
 * Where the act binary is: $SCORER_ACT (scripts/run-tests.sh exports what scripts/tools/act.sh
 * printed), else the versioned tool cache. Missing act fails the test when CI or
 * SCORER_REQUIRE_TOOLS=1 is set, and skips it with the install command otherwise.
 */
final class ActTool {
    static final String VERSION = "v0.2.89";

    private ActTool() {}

    static Path require() {
        String configured = System.getenv("SCORER_ACT");
        Path act =
                configured != null && !configured.isBlank()
                        ? Path.of(configured)
                        : Path.of(
                                System.getProperty("user.home"),
                                ".cache/scorer-pipeline/tools/act-" + VERSION,
                                "act");
        if (Files.isExecutable(act)) return act;
        String message =
                "act not found at "
                        + act
                        + "; install it with scripts/tools/act.sh (or set SCORER_ACT)";
        RequiredTools.missing(message);
        return act;
    }
}
