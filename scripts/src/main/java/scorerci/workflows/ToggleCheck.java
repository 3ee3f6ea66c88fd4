package scorerci.workflows;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import scorerci.core.Context;

/**
 * What `toggle-tests check` looks for: "temporarily disabled" that has become forever, i.e. a test
 * job disabled with no reason (the legacy commented-out form counts as no reason) or past its
 * --until date. One "file:line: job '…' …" problem per such job, each naming the fix.
 */
public final class ToggleCheck {
    /**
     * @param workflows how many workflow files have the job; {@code disabled} how many of them
     *     disable it
     */
    public record Result(LocalDate today, int workflows, int disabled, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ToggleCheck() {}

    public static Result run(Context context, List<String> workflows, String job) {
        LocalDate today = Today.of(context);
        List<String> problems = new ArrayList<>();
        int disabled = 0;
        List<WorkflowFile> files = WorkflowSet.load(context, workflows, job);
        for (WorkflowFile wf : files) {
            TestJobStatus s = TestToggler.status(wf, job);
            if (!s.disabled()) continue;
            disabled++;
            String where = wf.where(s.line()) + ": job '" + s.job() + "' ";
            if (s.state() == TestJobStatus.State.LEGACY) {
                problems.add(
                        where
                                + "is commented out with no reason or end date (legacy form); run `toggle-tests enable`, "
                                + "or `toggle-tests disable --reason TEXT --until DATE` to record why and until when");
            } else if (!s.hasReason()) {
                problems.add(
                        where
                                + "is disabled with no reason; run `toggle-tests disable --reason TEXT` to record one");
            } else if (s.until() != null && s.until().isBefore(today)) {
                long days = ChronoUnit.DAYS.between(s.until(), today);
                problems.add(
                        where
                                + "has been disabled since "
                                + s.since()
                                + " (\""
                                + s.reason()
                                + "\"), past its end date "
                                + s.until()
                                + " by "
                                + days
                                + " day(s); run `toggle-tests enable`, or extend it with "
                                + "`toggle-tests disable --reason TEXT --until DATE`");
            }
        }
        return new Result(today, files.size(), disabled, List.copyOf(problems));
    }
}
