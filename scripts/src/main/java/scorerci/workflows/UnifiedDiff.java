package scorerci.workflows;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.List;

/**
 * A unified diff (3 lines of context, "a/" and "b/" prefixes) of two versions of a text file, for
 * --dry-run.
 */
public final class UnifiedDiff {
    private UnifiedDiff() {}

    public static String of(String displayName, String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        Patch<String> patch = DiffUtils.diff(a, b);
        List<String> diff =
                UnifiedDiffUtils.generateUnifiedDiff(
                        "a/" + displayName, "b/" + displayName, a, patch, 3);
        StringBuilder sb = new StringBuilder();
        for (String line : diff) sb.append(line).append('\n');
        return sb.toString();
    }
}
