package scorerci.elf;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A glibc symbol version such as {@code GLIBC_2.34}, compared numerically part by part (2.9 &lt;
 * 2.34, 2.3.4 &lt; 2.4), which a plain string comparison gets wrong.
 */
public record GlibcVersion(int[] parts) implements Comparable<GlibcVersion> {
    private static final Pattern NUMBER = Pattern.compile("\\d{1,4}(\\.\\d{1,4}){1,3}");

    /** Accepts "2.34" or "GLIBC_2.34"; returns null for anything else (GLIBC_PRIVATE, junk). */
    public static GlibcVersion parseOrNull(String text) {
        if (text == null) return null;
        String number = text.startsWith("GLIBC_") ? text.substring("GLIBC_".length()) : text;
        if (!NUMBER.matcher(number).matches()) return null;
        return new GlibcVersion(
                Arrays.stream(number.split("\\.")).mapToInt(Integer::parseInt).toArray());
    }

    /** Like {@link #parseOrNull} but rejects bad input with a message naming the expected form. */
    public static GlibcVersion parse(String text) {
        GlibcVersion version = parseOrNull(text);
        if (version == null) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a glibc version; write it like 2.34");
        }
        return version;
    }

    @Override
    public int compareTo(GlibcVersion other) {
        int n = Math.max(parts.length, other.parts.length);
        for (int i = 0; i < n; i++) {
            int a = i < parts.length ? parts[i] : 0;
            int b = i < other.parts.length ? other.parts[i] : 0;
            if (a != b) return Integer.compare(a, b);
        }
        return 0;
    }

    public boolean isNewerThan(GlibcVersion other) {
        return compareTo(other) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlibcVersion g && compareTo(g) == 0;
    }

    @Override
    public int hashCode() {
        return toString().replaceAll("(\\.0)+$", "").hashCode();
    }

    /** "2.34" */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) s.append('.');
            s.append(parts[i]);
        }
        return s.toString();
    }

    /** "GLIBC_2.34", as the symbol version appears in the binary and in loader errors. */
    public String symbolName() {
        return "GLIBC_" + this;
    }
}
