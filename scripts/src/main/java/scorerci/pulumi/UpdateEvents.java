package scorerci.pulumi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the engine events `pulumi up --json` streams, one JSON object per line
 * (preludeEvent, resourcePreEvent, resOutputsEvent, resOpFailedEvent, diagnosticEvent,
 * stdoutEvent, summaryEvent, ...), turns each into a readable log line as it arrives and
 * keeps what the report needs: the summary's resource counts, the changed resources and
 * the error diagnostics. Lines that are not events (stderr merged in) pass through as they are.
 */
public final class UpdateEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ResourceChange> applied = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> failedResources = new ArrayList<>();
    private ChangeSummary summary;
    private long durationSeconds = -1;

    /** The readable form of one output line, or null if it is not worth showing (an unchanged resource). */
    public String accept(String line) {
        if (!line.startsWith("{")) return line;
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (Exception e) {
            return line;
        }
        if (event.has("resourcePreEvent")) {
            ResourceChange change = change(event.get("resourcePreEvent").path("metadata"));
            return change.changes() ? "  " + change.symbol() + " " + ing(change.op()) + " " + change.type() + " "
                    + change.name() + (change.reasons().isEmpty() ? "" : " (" + String.join(", ", change.reasons()) + ")")
                    : null;
        }
        if (event.has("resOutputsEvent")) {
            ResourceChange change = change(event.get("resOutputsEvent").path("metadata"));
            if (!change.changes()) return null;
            applied.add(change);
            return "  " + change.symbol() + " " + past(change.op()) + " " + change.type() + " " + change.name();
        }
        if (event.has("resOpFailedEvent")) {
            ResourceChange change = change(event.get("resOpFailedEvent").path("metadata"));
            failedResources.add(change.type() + " " + change.name());
            return "  ✗ " + change.op() + " failed: " + change.type() + " " + change.name();
        }
        if (event.has("diagnosticEvent")) {
            JsonNode d = event.get("diagnosticEvent");
            String message = d.path("message").asText("").strip();
            String severity = d.path("severity").asText("");
            if (severity.equals("error")) errors.add(message);
            if (message.isEmpty()) return null;
            String where = d.hasNonNull("urn") && !d.path("urn").asText().isEmpty()
                    ? ResourceChange.typeOf(d.path("urn").asText()) + " " + ResourceChange.nameOf(d.path("urn").asText()) + ": "
                    : "";
            return switch (severity) {
                case "error" -> "error: " + where + message;
                case "warning" -> "warning: " + where + message;
                default -> message;
            };
        }
        if (event.has("stdoutEvent")) {
            String message = event.get("stdoutEvent").path("message").asText("").stripTrailing();
            return message.isEmpty() ? null : message;
        }
        if (event.has("summaryEvent")) {
            JsonNode s = event.get("summaryEvent");
            summary = ChangeSummary.fromJson(s.path("resourceChanges"));
            durationSeconds = s.path("durationSeconds").asLong(-1);
            return "Resources: " + summary.describe(true) + (durationSeconds >= 0 ? " (" + durationSeconds + " s)" : "");
        }
        if (event.has("cancelEvent")) return "update cancelled";
        if (event.has("policyEvent")) {
            JsonNode p = event.get("policyEvent");
            return "policy " + p.path("policyName").asText("") + " (" + p.path("enforcementLevel").asText("") + "): "
                    + p.path("message").asText("").strip();
        }
        return null; // preludeEvent and events without a user-facing message
    }

    /** The summaryEvent's counts, or, if the update died before sending one, the resources seen to change. */
    public ChangeSummary summary() {
        if (summary != null) return summary;
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        applied.forEach(c -> counts.merge(c.op(), 1, Integer::sum));
        return new ChangeSummary(counts);
    }

    public boolean sawSummary() { return summary != null; }
    public long durationSeconds() { return durationSeconds; }
    public List<ResourceChange> applied() { return List.copyOf(applied); }
    public List<String> errors() { return List.copyOf(errors); }
    public List<String> failedResources() { return List.copyOf(failedResources); }

    private static ResourceChange change(JsonNode metadata) {
        String urn = metadata.path("urn").asText("");
        String type = metadata.path("type").asText(ResourceChange.typeOf(urn));
        List<String> reasons = new ArrayList<>();
        metadata.path("diffs").forEach(d -> reasons.add(d.asText()));
        return new ResourceChange(metadata.path("op").asText("same"), type, ResourceChange.nameOf(urn), reasons);
    }

    private static String ing(String op) {
        return switch (op) {
            case "create" -> "creating";
            case "update" -> "updating";
            case "delete" -> "deleting";
            case "replace" -> "replacing";
            default -> op;
        };
    }

    private static String past(String op) {
        return switch (op) {
            case "create" -> "created";
            case "update" -> "updated";
            case "delete" -> "deleted";
            case "replace" -> "replaced";
            default -> op + " done";
        };
    }
}
