package scorerci.pulumi;

import java.util.List;

/**
 * One step of a preview or update: what Pulumi will do (or did) to one resource.
 *
 * @param op Pulumi's op name: create, update, delete, replace, same, ...
 * @param type the resource type token, e.g. aws:lambda/function:Function
 * @param name the logical name (the URN's last segment)
 * @param reasons the properties that cause the change (diffReasons / replaceReasons / detailedDiff
 *     keys)
 */
public record ResourceChange(String op, String type, String name, List<String> reasons) {
    public ResourceChange {
        reasons = List.copyOf(reasons);
    }

    public boolean changes() {
        return !op.equals("same") && !op.equals("read") && !op.equals("refresh");
    }

    /** Pulumi's own display symbols. */
    public String symbol() {
        return switch (op) {
            case "create", "create-replacement" -> "+";
            case "update" -> "~";
            case "delete", "delete-replaced" -> "-";
            case "replace" -> "+-";
            case "read" -> ">";
            case "import" -> "=";
            default -> " ";
        };
    }

    /** " ~ update aws:lambda/function:Function passport-v2-rust-scorer (code, sourceCodeHash)" */
    public String line() {
        return String.format(
                "  %-2s %-8s %s  %s%s",
                symbol(),
                op,
                type,
                name,
                reasons.isEmpty() ? "" : "  (" + String.join(", ", reasons) + ")");
    }

    /** Type and name from a URN: urn:pulumi:stack::project::parent$type::name. */
    static String nameOf(String urn) {
        int at = urn.lastIndexOf("::");
        return at < 0 ? urn : urn.substring(at + 2);
    }

    static String typeOf(String urn) {
        String[] parts = urn.split("::");
        if (parts.length < 4) return "";
        String qualified = parts[parts.length - 2];
        return qualified.substring(qualified.lastIndexOf('$') + 1);
    }
}
