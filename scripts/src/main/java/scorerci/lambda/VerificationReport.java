package scorerci.lambda;

import java.util.List;

/**
 * The outcome of {@link DeploymentVerifier}: every check that ran, passed or not.
 *
 * @param functionName the function as asked for
 * @param qualifier "$LATEST" or a version number
 * @param checks in the order they ran
 */
public record VerificationReport(String functionName, String qualifier, List<Check> checks) {
    public VerificationReport {
        checks = List.copyOf(checks);
    }

    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }

    /** The check of this name, or null. */
    public Check check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** Rows for {@code Actions.summaryTable}: check, expected, actual, result. */
    public List<List<String>> summaryRows() {
        return checks.stream()
                .map(
                        c ->
                                List.of(
                                        c.name(),
                                        "`" + c.expected() + "`",
                                        "`" + c.actual() + "`",
                                        c.ok() ? "✅ ok" : "❌ " + c.hint()))
                .toList();
    }

    public static final List<String> SUMMARY_HEADER =
            List.of("Check", "Expected", "Actual", "Result");

    /**
     * One line of what a passing report proves: "passport-v2-rust-scorer:7 serves CodeSha256 X
     * (Zip, provided.al2023, [arm64], layer ARN, smoke invoke HTTP 200, ...)".
     */
    public String proof() {
        String details =
                checks.stream()
                        .filter(
                                c ->
                                        !c.name().equals("CodeSha256")
                                                && !c.name().equals("state")
                                                && !c.name().equals("last update")
                                                && !c.name().equals("handler"))
                        .map(c -> c.ok() ? c.actual() : c.name() + " FAILED")
                        .collect(java.util.stream.Collectors.joining(", "));
        Check sha = check("CodeSha256");
        return target()
                + " serves CodeSha256 "
                + (sha == null ? "?" : sha.actual())
                + " ("
                + details
                + ")";
    }

    /** "passport-v2-rust-scorer" or "passport-v2-rust-scorer:7" */
    public String target() {
        return "$LATEST".equals(qualifier) ? functionName : functionName + ":" + qualifier;
    }
}
