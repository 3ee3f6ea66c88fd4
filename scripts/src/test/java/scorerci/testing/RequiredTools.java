package scorerci.testing;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for a test whose real peer (cargo, npm, act, actionlint, zizmor, the Pulumi CLI) is
 * missing: under CI or SCORER_REQUIRE_TOOLS=1 it fails (a CI run that silently skipped the
 * real-peer tests would prove nothing); elsewhere it skips, saying how to install the tool.
 */
public final class RequiredTools {
    private RequiredTools() {}

    /** True when missing tools must fail the test rather than skip it. */
    public static boolean required(Map<String, String> env) {
        return env.get("CI") != null || "1".equals(env.get("SCORER_REQUIRE_TOOLS"));
    }

    /** Fails (required) or skips (otherwise) the calling test; {@code why} says how to fix it. */
    public static void missing(String why) {
        if (required(System.getenv()))
            throw new AssertionError(
                    why + " (CI or SCORER_REQUIRE_TOOLS=1 is set, so this test may not skip)");
        Assumptions.abort(why);
    }
}
