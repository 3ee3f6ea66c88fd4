package scorerci.workflows;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import scorerci.cli.BaseCommand;
import scorerci.cli.PipelineException;

/**
 * {@code toggle-tests check}: fail when "temporarily disabled" has become forever, i.e. a test
 * job is disabled with no reason (the legacy commented-out form counts as no reason) or past its
 * --until date. CI runs it on every push and pull request.
 *
 * Reads:  the workflow files; SCORER_TODAY. Writes: nothing (error annotations inside Actions).
 * Prints: one "file:line: problem" line per problem on stdout, then a verdict.
 * Exits:  0 none; 4 problems found; 2 malformed YAML; 8 no workflow has the test job.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Fail if a test job is disabled without a reason or past its --until date.")
public class ToggleCheckCommand extends BaseCommand {
    @Mixin
    ToggleSelection selection;

    @Override
    protected int execute() {
        LocalDate today = Today.of(context());
        List<String> problems = new ArrayList<>();
        int disabled = 0;
        List<WorkflowFile> files = WorkflowSet.load(context(), selection.workflows, selection.job);
        for (WorkflowFile wf : files) {
            TestJobStatus s = TestToggler.status(wf, selection.job);
            if (!s.disabled()) continue;
            disabled++;
            String where = wf.where(s.line()) + ": job '" + s.job() + "' ";
            if (s.state() == TestJobStatus.State.LEGACY) {
                problems.add(where + "is commented out with no reason or end date (legacy form); run `toggle-tests enable`, "
                        + "or `toggle-tests disable --reason TEXT --until DATE` to record why and until when");
            } else if (!s.hasReason()) {
                problems.add(where + "is disabled with no reason; run `toggle-tests disable --reason TEXT` to record one");
            } else if (s.until() != null && s.until().isBefore(today)) {
                long days = ChronoUnit.DAYS.between(s.until(), today);
                problems.add(where + "has been disabled since " + s.since() + " (\"" + s.reason() + "\"), past its end date "
                        + s.until() + " by " + days + " day(s); run `toggle-tests enable`, or extend it with "
                        + "`toggle-tests disable --reason TEXT --until DATE`");
            }
        }
        for (String p : problems) {
            log().info(p);
            actions().error(p);
        }
        if (!problems.isEmpty()) {
            throw PipelineException.verification(problems.size() + " test job(s) disabled without a reason or past their end date (as of " + today + ")");
        }
        log().info("ok: " + files.size() + " workflow(s), " + disabled + " test job(s) disabled, each with a reason and within its end date (as of " + today + ")");
        return 0;
    }
}
