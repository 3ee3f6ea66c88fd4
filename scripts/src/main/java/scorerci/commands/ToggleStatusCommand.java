package scorerci.commands;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import scorerci.workflows.TestJobStatus;
import scorerci.workflows.TestToggler;
import scorerci.workflows.WorkflowFile;
import scorerci.workflows.WorkflowSet;

/**
 * {@code toggle-tests status}: one row per workflow that has the test job.
 *
 * <p>Reads: the workflow files. Writes: nothing (a step-summary table inside Actions). Prints: a
 * table WORKFLOW, TEST JOB, STATE, REASON, SINCE, UNTIL on stdout. Exits: 0; 2 malformed YAML; 8 no
 * workflow has the test job.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show each workflow's test job: enabled or disabled, reason, since, until.")
public class ToggleStatusCommand extends BaseCommand {
    @Mixin ToggleSelection selection;

    @Override
    protected int execute() {
        List<List<String>> rows = new ArrayList<>();
        for (WorkflowFile wf : WorkflowSet.load(context(), selection.workflows, selection.job)) {
            TestJobStatus s = TestToggler.status(wf, selection.job);
            String reason =
                    s.state() == TestJobStatus.State.LEGACY
                            ? "(none; legacy TODO: " + (s.note().isEmpty() ? "-" : s.note()) + ")"
                            : orDash(s.reason());
            rows.add(
                    List.of(
                            wf.displayName(),
                            s.job(),
                            s.state().label,
                            reason,
                            orDash(s.since()),
                            orDash(s.until())));
        }
        List<String> header = List.of("WORKFLOW", "TEST JOB", "STATE", "REASON", "SINCE", "UNTIL");
        result(table(header, rows));
        actions().summaryTable("Test jobs", header, rows);
        return 0;
    }

    private static String orDash(Object value) {
        if (value == null) return "-";
        String s = value instanceof LocalDate d ? d.toString() : value.toString();
        return s.isBlank() ? "-" : s;
    }

    static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all)
            for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) line.append("  ");
                line.append(
                        i == row.size() - 1
                                ? row.get(i)
                                : String.format("%-" + width[i] + "s", row.get(i)));
            }
            if (sb.length() > 0) sb.append('\n');
            sb.append(line.toString().stripTrailing());
        }
        return sb.toString();
    }
}
