package scorerci.workflows;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import scorerci.core.Context;
import scorerci.core.PipelineException;

/**
 * Today's date for since/until: SCORER_TODAY=YYYY-MM-DD if set (tests, or checking "as of" a date),
 * else the current UTC date.
 */
public final class Today {
    public static final String VARIABLE = "SCORER_TODAY";

    private Today() {}

    public static LocalDate of(Context context) {
        String fixed = context.env(VARIABLE);
        if (fixed == null) return LocalDate.now(ZoneOffset.UTC);
        return date(fixed, VARIABLE);
    }

    public static LocalDate date(String text, String what) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw PipelineException.usage(
                    what + " '" + text + "' is not a date; write YYYY-MM-DD, e.g. 2025-03-31");
        }
    }
}
