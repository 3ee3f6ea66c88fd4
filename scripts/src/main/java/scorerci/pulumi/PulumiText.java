package scorerci.pulumi;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Pulumi's diagnostic text made fit for one line of our own: the real CLI's messages carry ANSI
 * colour codes and its own colour tags ({@code <{%fg 1%}>}), already start with {@code error: } /
 * {@code warning: }, and a program error carries the language host's whole stack trace. The full
 * text still goes to the log group; this is for exit messages and summaries.
 */
public final class PulumiText {
    private static final Pattern ANSI =
            Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[@-Z\\\\-_]");
    private static final Pattern COLOR_TAGS = Pattern.compile("<\\{%[^%]*%}>");
    private static final Pattern PREFIX = Pattern.compile("^(?:error|warning|info|debug):\\s*");

    /** Frames of a Node, Go, Python or Java stack trace, and Pulumi's own trailer lines. */
    private static final Pattern TRACE =
            Pattern.compile(
                    "^(?:at\\s.+|goroutine \\d+.*|Traceback \\(most recent call last\\):.*|File \".*|\\S+\\.go:\\d+.*"
                            + "|panic: .*|\\.\\.\\. \\d+ more)$");

    private PulumiText() {}

    /** Without ANSI escapes and Pulumi colour tags. */
    public static String plain(String text) {
        return COLOR_TAGS.matcher(ANSI.matcher(text).replaceAll("")).replaceAll("");
    }

    /** Without a leading "error: " / "warning: " (ours is added once, where the line is shown). */
    public static String withoutPrefix(String text) {
        String result = text.strip();
        String before;
        do {
            before = result;
            result = PREFIX.matcher(result).replaceFirst("").strip();
        } while (!result.equals(before));
        return result;
    }

    /**
     * One line: plain text, no severity prefix, the lines before the first stack frame joined with
     * spaces, at most {@code max} characters.
     */
    public static String oneLine(String text, int max) {
        List<String> kept = new ArrayList<>();
        for (String line : plain(text).split("\\R")) {
            String stripped = line.strip();
            if (stripped.isEmpty()) continue;
            if (TRACE.matcher(stripped).matches()) break;
            kept.add(withoutPrefix(stripped));
        }
        String joined = String.join(" ", kept).replaceAll("\\s+", " ").strip();
        return joined.length() <= max ? joined : joined.substring(0, max - 1) + "…";
    }

    /** {@link #oneLine(String, int)} with room for a terminal line and a summary cell. */
    public static String oneLine(String text) {
        return oneLine(text, 400);
    }
}
