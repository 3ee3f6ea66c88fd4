package scorerci.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real Pulumi toolchain scripts/tools/pulumi.sh builds: the CLI v3.276.0, the YAML language
 * host v1.25.0 and the tests' provider plugin pulumi-resource-scorertest, in one bin dir.
 *
 * <p>Found through SCORER_PULUMI_BIN_DIR (scripts/run-tests.sh exports it), else in the tool cache
 * the script builds into. Missing tools fail the test under CI or SCORER_REQUIRE_TOOLS=1 (a CI run
 * that silently skipped the contract tests would prove nothing); elsewhere they skip it, saying how
 * to build them.
 */
public final class RealPulumi {
    public static final String VERSION = "v3.276.0";
    public static final String YAML_HOST_VERSION = "v1.25.0";
    public static final List<String> BINARIES =
            List.of("pulumi", "pulumi-language-yaml", "pulumi-resource-scorertest");

    private RealPulumi() {}

    /**
     * The bin dir holding all three binaries; fails or skips the calling test when it is missing.
     */
    public static Path binDir() {
        Path found = find(System.getenv());
        if (found != null) return found;
        String why =
                "the real Pulumi CLI "
                        + VERSION
                        + " is not built: run scripts/tools/pulumi.sh (about 10 minutes "
                        + "cold) and export SCORER_PULUMI_BIN_DIR=$(scripts/tools/pulumi.sh)";
        RequiredTools.missing(why);
        return null;
    }

    static Path find(Map<String, String> env) {
        String named = env.get("SCORER_PULUMI_BIN_DIR");
        if (named != null && !named.isBlank()) {
            Path dir = Path.of(named.strip());
            if (!complete(dir)) {
                fail(
                        "SCORER_PULUMI_BIN_DIR="
                                + named
                                + " does not hold "
                                + BINARIES
                                + ": rerun scripts/tools/pulumi.sh");
            }
            return dir;
        }
        String cache =
                env.getOrDefault(
                        "SCORER_TOOLS_CACHE",
                        env.getOrDefault("HOME", "") + "/.cache/scorer-pipeline/tools");
        Path dir = Path.of(cache, "pulumi-" + VERSION, "bin");
        return complete(dir) ? dir : null;
    }

    private static boolean complete(Path dir) {
        return BINARIES.stream().allMatch(b -> Files.isExecutable(dir.resolve(b)));
    }
}
