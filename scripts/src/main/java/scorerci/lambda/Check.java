package scorerci.lambda;

/**
 * One comparison between what the deployed function must be and what it is.
 *
 * @param name what was compared, e.g. "architectures"
 * @param expected the required value, as text
 * @param actual what AWS reported, as text
 * @param ok whether actual satisfies expected
 * @param hint for a failure: what it breaks and how to fix it; empty when ok
 */
public record Check(String name, String expected, String actual, boolean ok, String hint) {
    public static Check of(String name, String expected, String actual, boolean ok, String hint) {
        return new Check(name, expected, actual == null ? "(none)" : actual, ok, ok ? "" : hint);
    }

    /** Expected and actual are equal strings. */
    public static Check equal(String name, String expected, String actual, String hint) {
        return of(name, expected, actual, expected.equals(actual), hint);
    }

    /** "architectures: expected [arm64], actual [x86_64] (the layer's extension ...)" */
    public String mismatch() {
        return name
                + ": expected "
                + expected
                + ", actual "
                + actual
                + (hint.isEmpty() ? "" : " (" + hint + ")");
    }
}
