package scorerci.core;

/**
 * Text that came from outside (entry names, a service's error message, a tool's output, the user's
 * own arguments) made safe to print: it can neither start a GitHub Actions workflow command ({@code
 * ::set-output ...}, {@code ::warning::}, the legacy {@code ##[...]} form), nor break a line, nor
 * move the terminal's cursor or colours.
 *
 * <ul>
 *   <li>{@link #escape} for a VALUE printed inside a line: every control character (C0 incl.
 *       newline and tab, DEL, C1 incl. U+0085), the Unicode line and paragraph separators and the
 *       bidirectional overrides become visible escapes ({@code \n}, {@code \x1b}, {@code \u2028}).
 *   <li>{@link #line} for a whole LINE at a sink: the same escapes except tab, and a line that
 *       (after leading blanks, as the runner trims them) starts with {@code ::} gets its first
 *       colon escaped; {@code ##[} anywhere becomes {@code #\x23[}.
 *   <li>{@link #firstUnsafe} for input validation: free-text options are refused, not escaped.
 * </ul>
 */
public final class OutsideText {
    private OutsideText() {}

    /** True for characters that break a line, control a terminal or reorder text. */
    public static boolean unsafe(int c) {
        return c < 0x20
                || c == 0x7f
                || (c >= 0x80 && c <= 0x9f)
                || c == 0x2028
                || c == 0x2029
                || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /** The index of the first {@link #unsafe} character, or -1. */
    public static int firstUnsafe(String text) {
        if (text == null) return -1;
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) return i;
        }
        return -1;
    }

    /** A value safe to print inside one line; null prints as "null". */
    public static String escape(String text) {
        if (text == null) return "null";
        if (firstUnsafe(text) < 0) return text;
        return escapeControls(text, false);
    }

    /**
     * One output line (without its newline) safe for a log the runner parses.
     *
     * @param atLineStart false when this text continues a line already partly written
     */
    public static String line(String text, boolean atLineStart) {
        String s = firstUnsafe(text) < 0 ? text : escapeControls(text, true);
        if (s.contains("##[")) s = s.replace("##[", "#\\x23[");
        if (atLineStart) {
            int i = 0;
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            if (s.startsWith("::", i)) s = s.substring(0, i) + "\\x3a" + s.substring(i + 1);
        }
        return s;
    }

    /** "U+000A" for messages that name the offending character. */
    public static String codePoint(char c) {
        return String.format(java.util.Locale.ROOT, "U+%04X", (int) c);
    }

    private static String escapeControls(String text, boolean keepTab) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c) || (keepTab && c == '\t')) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x100) {
                out.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
