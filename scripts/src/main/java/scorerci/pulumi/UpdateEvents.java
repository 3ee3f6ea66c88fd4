package scorerci.pulumi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the engine events `pulumi up --json` streams, one JSON object per line (preludeEvent,
 * resourcePreEvent, resOutputsEvent, resOpFailedEvent, diagnosticEvent, stdoutEvent, summaryEvent,
 * cancelEvent), turns each into a readable log line as it arrives and keeps what the report needs:
 * the summary's resource counts, the changed resources and the error diagnostics. Lines that are
 * not events (stderr merged in) pass through as they are.
 *
 * <p>What the real CLI v3.276.0 does (transcripts in test resources scorerci/pulumi/transcripts):
 *
 * <ul>
 *   <li>every stream ends with {@code {"cancelEvent":{}}}, also after a successful update: it marks
 *       the end of the stream, not a cancellation;
 *   <li>most diagnostics are {@code "severity":"debug"}, and the language host's debug lines carry
 *       resource outputs in plain text, secrets included: they go only to the debug sink (-v);
 *   <li>a failed resource sends its own error first and a generic "update failed" last: the first
 *       error is the cause;
 *   <li>a create-before-delete replacement is three steps (create-replacement, replace,
 *       delete-replaced); it is shown and counted as one "replace", its reason in metadata.keys.
 * </ul>
 */
public final class UpdateEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<String> debug;
    private final List<ResourceChange> applied = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> failedResources = new ArrayList<>();

    /**
     * What the language host wrote to its stderr (severity info#err): a YAML program error arrives
     * only so.
     */
    private final List<String> hostErrors = new ArrayList<>();

    private final java.util.Set<String> shownDiagnostics = new java.util.HashSet<>();
    private final Map<String, ResourceChange> replacing = new LinkedHashMap<>();
    private ChangeSummary summary;
    private long durationSeconds = -1;
    private boolean ended;

    /** Debug diagnostics are dropped. */
    public UpdateEvents() {
        this(line -> {});
    }

    /**
     * @param debug where debug diagnostics go (the -v log), already plain text
     */
    public UpdateEvents(Consumer<String> debug) {
        this.debug = debug;
    }

    /**
     * The readable form of one output line, or null if it is not worth showing (an unchanged
     * resource).
     */
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
            if (!change.changes() || isReplacementHalf(change)) return null;
            return "  "
                    + change.symbol()
                    + " "
                    + ing(change.op())
                    + " "
                    + change.type()
                    + " "
                    + change.name()
                    + (change.reasons().isEmpty()
                            ? ""
                            : " (" + String.join(", ", change.reasons()) + ")");
        }
        if (event.has("resOutputsEvent")) {
            ResourceChange change = change(event.get("resOutputsEvent").path("metadata"));
            if (!change.changes() || isReplacementHalf(change)) return null;
            applied.add(change);
            return "  "
                    + change.symbol()
                    + " "
                    + past(change.op())
                    + " "
                    + change.type()
                    + " "
                    + change.name();
        }
        if (event.has("resOpFailedEvent")) {
            ResourceChange change = change(event.get("resOpFailedEvent").path("metadata"));
            String op = isReplacementHalf(change) ? "replace" : change.op();
            failedResources.add(change.type() + " " + change.name());
            return "  ✗ " + op + " failed: " + change.type() + " " + change.name();
        }
        if (event.has("diagnosticEvent")) return diagnostic(event.get("diagnosticEvent"));
        if (event.has("stdoutEvent")) {
            String message =
                    PulumiText.plain(event.get("stdoutEvent").path("message").asText(""))
                            .stripTrailing();
            return message.isEmpty() ? null : message;
        }
        if (event.has("summaryEvent")) {
            JsonNode s = event.get("summaryEvent");
            summary = ChangeSummary.fromJson(s.path("resourceChanges"));
            durationSeconds = s.path("durationSeconds").asLong(-1);
            return "Resources: "
                    + summary.describe(true)
                    + (durationSeconds >= 0 ? " (" + durationSeconds + " s)" : "");
        }
        if (event.has("cancelEvent")) {
            ended = true; // the engine's end-of-stream marker, sent after success and failure alike
            return null;
        }
        if (event.has("policyEvent")) {
            JsonNode p = event.get("policyEvent");
            return "policy "
                    + p.path("policyName").asText("")
                    + " ("
                    + p.path("enforcementLevel").asText("")
                    + "): "
                    + PulumiText.plain(p.path("message").asText("")).strip();
        }
        return null; // preludeEvent and events without a user-facing message
    }

    private String diagnostic(JsonNode d) {
        String text = PulumiText.plain(d.path("message").asText("")).strip();
        String message = PulumiText.withoutPrefix(text);
        String severity = d.path("severity").asText("");
        String urn = d.path("urn").asText("");
        String where =
                urn.isEmpty() || ResourceChange.typeOf(urn).equals("pulumi:pulumi:Stack")
                        ? ""
                        : ResourceChange.typeOf(urn) + " " + ResourceChange.nameOf(urn) + ": ";
        if (severity.equals("debug")) {
            if (!message.isEmpty()) debug.accept("debug: " + where + message);
            return null;
        }
        if (message.isEmpty()) return null;
        if (severity.equals("error")) errors.add(where + message);
        if (severity.equals("info#err") && !text.startsWith("warning:")) hostErrors.add(message);
        String line =
                switch (severity) {
                    case "error" -> "error: " + where + message;
                    case "warning" -> "warning: " + where + message;
                    default ->
                            where + text; // info: Pulumi's own text, its own prefix (if any) once
                };
        // the real CLI repeats some diagnostics (a plugin warning arrives as warning and again as
        // info#err)
        String key = PulumiText.withoutPrefix(line);
        return shownDiagnostics.add(key) ? line : null;
    }

    /**
     * The summaryEvent's counts, or, if the update died before sending one, the resources seen to
     * change.
     */
    public ChangeSummary summary() {
        if (summary != null) return summary;
        Map<String, Integer> counts = new LinkedHashMap<>();
        applied.forEach(c -> counts.merge(c.op(), 1, Integer::sum));
        return new ChangeSummary(counts);
    }

    /**
     * Why the update failed: its first error diagnostic, one line (the resource's own error; the
     * generic "update failed" comes after it), or null if it reported none.
     */
    public String cause() {
        if (!errors.isEmpty()) return PulumiText.oneLine(errors.get(0));
        // a program error of the YAML host: "Error: ... not found", "on Pulumi.yaml line 22:", the
        // line itself
        return hostErrors.isEmpty() ? null : PulumiText.oneLine(String.join("\n", hostErrors));
    }

    public boolean sawSummary() {
        return summary != null;
    }

    /** True once the engine's closing cancelEvent arrived: the stream is complete. */
    public boolean ended() {
        return ended;
    }

    public long durationSeconds() {
        return durationSeconds;
    }

    public List<ResourceChange> applied() {
        return List.copyOf(applied);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public List<String> failedResources() {
        return List.copyOf(failedResources);
    }

    /**
     * create-replacement and delete-replaced are the two halves of the "replace" step of the same
     * resource; only the replace step is shown and counted. A replacement's reason is remembered
     * from whichever of its steps carries metadata.keys.
     */
    private boolean isReplacementHalf(ResourceChange change) {
        return change.op().equals("create-replacement") || change.op().equals("delete-replaced");
    }

    private ResourceChange change(JsonNode metadata) {
        String urn = metadata.path("urn").asText("");
        String type = metadata.path("type").asText(ResourceChange.typeOf(urn));
        String op = metadata.path("op").asText("same");
        List<String> reasons = new ArrayList<>();
        // for a replacement, keys are the properties that force it; diffs are all that changed
        JsonNode first = op.contains("replace") ? metadata.path("keys") : metadata.path("diffs");
        JsonNode second = op.contains("replace") ? metadata.path("diffs") : metadata.path("keys");
        first.forEach(d -> reasons.add(d.asText()));
        if (reasons.isEmpty()) second.forEach(d -> reasons.add(d.asText()));
        if (op.contains("replace")) {
            ResourceChange known = replacing.get(urn);
            if (reasons.isEmpty() && known != null) reasons.addAll(known.reasons());
            replacing.put(
                    urn, new ResourceChange("replace", type, ResourceChange.nameOf(urn), reasons));
        }
        return new ResourceChange(op, type, ResourceChange.nameOf(urn), reasons);
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
