package scorerci.workflows;

import java.time.LocalDate;

/**
 * The state of one workflow's test job as `toggle-tests status` shows it.
 *
 * @param line 0-based line of the job key, its `if:` marker, or the legacy "# test:" line
 * @param note free text: for the legacy form, the TODO the original team left above the job
 */
public record TestJobStatus(
        WorkflowFile workflow,
        String job,
        State state,
        String reason,
        LocalDate since,
        LocalDate until,
        int line,
        String note) {
    public enum State {
        ENABLED("enabled"),
        DISABLED("disabled"),
        LEGACY("disabled (legacy, commented out)"),
        ABSENT("absent");

        public final String label;

        State(String label) {
            this.label = label;
        }
    }

    public boolean disabled() {
        return state == State.DISABLED || state == State.LEGACY;
    }

    public boolean hasReason() {
        return state == State.DISABLED && reason != null && !reason.isBlank();
    }
}
