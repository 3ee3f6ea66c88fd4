package scorerci.pulumi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON object `pulumi preview --json` prints at the end of a preview: "steps" (op, urn,
 * oldState/newState, diffReasons, replaceReasons, detailedDiff), "diagnostics" (severity, message),
 * "changeSummary" (op → count) and "duration" (nanoseconds).
 *
 * <p>pulumi's stderr reaches us merged with its stdout, so anything it prints before the object (a
 * warning line, say) is kept in {@link #otherLines} rather than breaking the parse.
 */
public record PreviewDigest(
        List<ResourceChange> steps,
        ChangeSummary summary,
        List<String> errors,
        List<String> warnings,
        List<String> debug,
        List<String> hostErrors,
        List<String> otherLines,
        double durationSeconds) {
    /**
     * In a holder, not a field of this record: calling warmUpInBackground initialises this record
     * on the caller's thread, and a mapper built there would cost the critical path what the
     * warm-up thread is meant to take off it (a class-load timeline showed the ObjectMapper built
     * on the main thread, before the first pulumi call).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public PreviewDigest {
        steps = List.copyOf(steps);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        debug = List.copyOf(debug);
        hostErrors = List.copyOf(hostErrors);
        otherLines = List.copyOf(otherLines);
    }

    /**
     * Loads and links the JSON classes on a daemon thread, off the critical path: a cold
     * jackson-databind costs a few hundred ms of class loading, which can overlap the zip
     * verification and the first pulumi calls instead of following the preview.
     */
    public static void warmUpInBackground() {
        Thread warm =
                new Thread(
                        () ->
                                parse(
                                        "{\"steps\":[{\"op\":\"same\",\"urn\":\"urn:pulumi:s::p::t::n\"}],"
                                                + "\"changeSummary\":{\"same\":1}}"),
                        "json-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /** Parses the output; null if it holds no JSON object at all. */
    public static PreviewDigest parse(String output) {
        int start = jsonStart(output);
        if (start < 0) return null;
        JsonNode root;
        try (JsonParser parser = Json.MAPPER.createParser(output.substring(start))) {
            root = Json.MAPPER.readTree(parser);
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isObject()) return null;
        List<String> other = output.substring(0, start).lines().filter(l -> !l.isBlank()).toList();

        List<ResourceChange> steps = new ArrayList<>();
        for (JsonNode step : root.path("steps")) steps.add(change(step));
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> debug = new ArrayList<>();
        List<String> hostErrors = new ArrayList<>();
        for (JsonNode diagnostic : root.path("diagnostics")) {
            // the real CLI's messages repeat the severity prefix and may carry colour codes
            String message =
                    PulumiText.withoutPrefix(
                            PulumiText.plain(diagnostic.path("message").asText("")));
            String severity = diagnostic.path("severity").asText("");
            if (message.isEmpty()) continue;
            if (severity.equals("error")) errors.add(message);
            else if (severity.equals("warning")) {
                if (!warnings.contains(message)) warnings.add(message);
            } else if (severity.equals("debug")) debug.add("debug: " + message);
            else if (severity.equals("info#err")
                    && !PulumiText.plain(diagnostic.path("message").asText(""))
                            .strip()
                            .startsWith("warning:")) {
                hostErrors.add(message); // a YAML program error arrives only as the host's stderr
            }
        }

        ChangeSummary summary =
                root.has("changeSummary")
                        ? ChangeSummary.fromJson(root.get("changeSummary"))
                        : count(steps);
        return new PreviewDigest(
                steps,
                summary,
                errors,
                warnings,
                debug,
                hostErrors,
                other,
                root.path("duration").asLong(0) / 1e9);
    }

    /**
     * The steps that change something, one per resource: a replacement's create-replacement and
     * delete-replaced halves are left out, its "replace" step stands for all three.
     */
    /**
     * Why a failed preview failed: its first error diagnostic, else what the language host wrote to
     * stderr (a YAML program error arrives only so), one line; null if neither.
     */
    public String cause() {
        if (!errors.isEmpty()) return PulumiText.oneLine(errors.get(0));
        return hostErrors.isEmpty() ? null : PulumiText.oneLine(String.join("\n", hostErrors));
    }

    public List<ResourceChange> changes() {
        return steps.stream()
                .filter(ResourceChange::changes)
                .filter(
                        s ->
                                !s.op().equals("create-replacement")
                                        && !s.op().equals("delete-replaced"))
                .toList();
    }

    private static ResourceChange change(JsonNode step) {
        String urn = step.path("urn").asText("");
        String op = step.path("op").asText("same");
        String type =
                step.path("newState")
                        .path("type")
                        .asText(step.path("oldState").path("type").asText(""));
        if (type.isEmpty()) type = ResourceChange.typeOf(urn);
        List<String> reasons = new ArrayList<>();
        step.path("replaceReasons").forEach(r -> reasons.add(r.asText()));
        step.path("diffReasons")
                .forEach(
                        r -> {
                            if (!reasons.contains(r.asText())) reasons.add(r.asText());
                        });
        if (reasons.isEmpty() && step.path("detailedDiff").isObject()) {
            for (Iterator<String> it = step.get("detailedDiff").fieldNames(); it.hasNext(); )
                reasons.add(it.next());
        }
        return new ResourceChange(op, type, ResourceChange.nameOf(urn), reasons);
    }

    private static ChangeSummary count(List<ResourceChange> steps) {
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        steps.forEach(s -> counts.merge(s.op(), 1, Integer::sum));
        return new ChangeSummary(counts);
    }

    /** Offset of the first line that starts the JSON object, or -1. */
    private static int jsonStart(String output) {
        int offset = 0;
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("{")) return offset;
            offset += line.length() + 1;
        }
        return -1;
    }
}
