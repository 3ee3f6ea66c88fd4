package scorerci.workflows;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.cli.BaseCommand;
import scorerci.cli.PipelineException;

/**
 * {@code toggle-tests disable --reason TEXT [--until YYYY-MM-DD]}: turn the test job off so the
 * deploy runs without it. The job stays in the file under {@code if: ${{ false }}} with a marker
 * comment (reason, since, until); the jobs that needed it drop it, each changed line marked with
 * a TODO and its original text. Running it on a disabled job updates reason and until.
 *
 * Reads:  the workflow files; SCORER_TODAY. Writes: the changed files, atomically (not with --dry-run).
 * Prints: one line per changed file; with --dry-run a unified diff on stdout.
 * Exits:  0; 2 missing/blank/multi-line reason, bad or past --until, malformed YAML, unsupported layout;
 *         8 no such workflow or job.
 */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Turn the test job off (the deploy still runs), with a reason and an optional end date.")
public class ToggleDisableCommand extends BaseCommand {
    @Mixin
    ToggleSelection selection;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "Why the tests are off (shown by status, required by check).")
    String reason;

    @Option(names = "--until", paramLabel = "YYYY-MM-DD",
            description = "Date after which `toggle-tests check` fails until the tests are back on.")
    String until;

    @Option(names = "--dry-run", description = "Print a unified diff of the change and write nothing.")
    boolean dryRun;

    @Override
    protected int execute() {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) throw PipelineException.usage("--reason is empty; say why the tests are off, e.g. --reason \"flaky on ARM runners, see #123\"");
        if (why.contains("\n") || why.contains("\r")) throw PipelineException.usage("--reason must be one line");
        if (why.length() > 300) throw PipelineException.usage("--reason is " + why.length() + " characters; keep it under 300 and link an issue");
        LocalDate today = Today.of(context());
        LocalDate end = until == null ? null : Today.date(until, "--until");
        if (end != null && end.isBefore(today)) {
            throw PipelineException.usage("--until " + end + " is before today (" + today + "); give a date from today on");
        }
        List<ToggleEdits.Edit> edits = new ArrayList<>();
        for (WorkflowFile wf : WorkflowSet.load(context(), selection.workflows, selection.job)) {
            List<String> dependents = wf.layout().jobs().values().stream()
                    .filter(j -> j.needs() != null && j.needs().contains(selection.job)).map(JobsLayout.Job::name).toList();
            String text = TestToggler.disable(wf, selection.job, why, today, end);
            String what = "disabled job '" + selection.job + "'"
                    + (dependents.isEmpty() ? "" : "; " + String.join(", ", dependents)
                            + (dependents.size() == 1 ? " no longer needs it" : " no longer need it"))
                    + " (reason: " + why + (end == null ? "" : ", until " + end) + ")";
            edits.add(new ToggleEdits.Edit(wf, text, text.equals(wf.text()) ? "already disabled with this reason" : what));
        }
        ToggleEdits.apply(edits, dryRun, log());
        return 0;
    }
}
