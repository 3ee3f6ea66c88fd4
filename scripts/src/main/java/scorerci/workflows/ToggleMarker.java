package scorerci.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable comment toggle-tests leaves on every line it changes, e.g.
 *
 * <pre>
 *   if: ${{ false }}  # TODO(toggle-tests): tests disabled; reason="flaky on ARM"; since=2025-01-10; until=2025-02-01
 *   needs: [ref]  # TODO(toggle-tests): add 'test' back to needs when tests are re-enabled; reason="flaky on ARM"; was="needs: [test, ref]"
 * </pre>
 *
 * Text values are JSON strings (any character survives); {@code was} is the exact original line
 * after its indentation, which is what makes {@code enable} the byte-exact inverse of {@code
 * disable}. A line without {@code was} was inserted and is removed again.
 */
public record ToggleMarker(
        String summary, String reason, LocalDate since, LocalDate until, String was) {
    public static final String TAG = "# TODO(toggle-tests): ";
    public static final String DISABLED_SUMMARY = "tests disabled";
    public static final String DEPENDENT_SUMMARY =
            "add '%s' back to needs when tests are re-enabled";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static boolean isOn(String line) {
        return line.contains(TAG);
    }

    /** The comment text, starting with "# TODO(toggle-tests): ". */
    public String render() {
        List<String> parts = new ArrayList<>();
        parts.add(summary);
        parts.add("reason=" + json(reason == null ? "" : reason));
        if (since != null) parts.add("since=" + since);
        if (until != null) parts.add("until=" + until);
        if (was != null) parts.add("was=" + json(was));
        return TAG + String.join("; ", parts);
    }

    /**
     * Reads the marker on a line; throws IllegalArgumentException with a short reason when the
     * marker is damaged (hand-edited), so the caller can report the line instead of guessing.
     */
    public static ToggleMarker parse(String line) {
        int at = line.indexOf(TAG);
        if (at < 0) throw new IllegalArgumentException("no toggle-tests marker");
        List<String> parts = splitOutsideQuotes(line.substring(at + TAG.length()));
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : parts.subList(1, parts.size())) {
            int eq = part.indexOf('=');
            if (eq <= 0)
                throw new IllegalArgumentException("marker field '" + part + "' is not key=value");
            String key = part.substring(0, eq).trim();
            String raw = part.substring(eq + 1).trim();
            fields.put(key, raw.startsWith("\"") ? unjson(raw) : raw);
        }
        try {
            LocalDate since =
                    fields.containsKey("since") ? LocalDate.parse(fields.get("since")) : null;
            LocalDate until =
                    fields.containsKey("until") ? LocalDate.parse(fields.get("until")) : null;
            return new ToggleMarker(
                    parts.get(0).trim(), fields.get("reason"), since, until, fields.get("was"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "marker date is not YYYY-MM-DD: " + e.getParsedString());
        }
    }

    private static List<String> splitOutsideQuotes(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\' && i + 1 < s.length()) {
                current.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') quoted = !quoted;
            if (!quoted && c == ';' && i + 1 < s.length() && s.charAt(i + 1) == ' ') {
                parts.add(current.toString());
                current.setLength(0);
                i++;
                continue;
            }
            current.append(c);
        }
        if (quoted) throw new IllegalArgumentException("unterminated quoted value in marker");
        parts.add(current.toString());
        return parts;
    }

    private static String json(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unjson(String raw) {
        try {
            return JSON.readValue(raw, String.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "marker value " + raw + " is not a valid quoted string");
        }
    }
}
