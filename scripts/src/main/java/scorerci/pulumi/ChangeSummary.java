package scorerci.pulumi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource counts per Pulumi operation, as the engine reports them: the "changeSummary" of `pulumi
 * preview --json` and the "resourceChanges" of an `up --json` summaryEvent. Keys are Pulumi's op
 * names (create, update, delete, replace, same, and rarer ones such as read, create-replacement or
 * import), kept as given.
 */
public record ChangeSummary(Map<String, Integer> counts) {
    public static final List<String> MAIN_OPS =
            List.of("create", "update", "delete", "replace", "same");

    /** Ops that change nothing in the cloud. */
    private static final List<String> NO_CHANGE = List.of("same", "read", "refresh");

    public ChangeSummary {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public static ChangeSummary fromJson(JsonNode node) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        }
        return new ChangeSummary(counts);
    }

    public int count(String op) {
        return counts.getOrDefault(op, 0);
    }

    public int creates() {
        return count("create");
    }

    public int updates() {
        return count("update");
    }

    public int deletes() {
        return count("delete");
    }

    public int replaces() {
        return count("replace");
    }

    public int sames() {
        return count("same");
    }

    /** Operations that change a cloud resource. */
    public int changes() {
        return counts.entrySet().stream()
                .filter(e -> !NO_CHANGE.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    /** Ops outside MAIN_OPS that occurred, e.g. {"create-replacement": 1}. */
    public Map<String, Integer> others() {
        Map<String, Integer> others = new LinkedHashMap<>(counts);
        MAIN_OPS.forEach(others::remove);
        others.values().removeIf(n -> n == 0);
        return others;
    }

    /**
     * "1 to create, 2 to update, 0 to delete, 0 to replace, 9 unchanged" (planned) or "1 created,
     * ..." (applied).
     */
    public String describe(boolean applied) {
        List<String> parts = new ArrayList<>();
        parts.add(creates() + (applied ? " created" : " to create"));
        parts.add(updates() + (applied ? " updated" : " to update"));
        parts.add(deletes() + (applied ? " deleted" : " to delete"));
        parts.add(replaces() + (applied ? " replaced" : " to replace"));
        parts.add(sames() + " unchanged");
        others().forEach((op, n) -> parts.add(n + " " + op));
        return String.join(", ", parts);
    }
}
