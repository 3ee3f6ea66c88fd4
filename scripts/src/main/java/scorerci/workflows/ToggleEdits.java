package scorerci.workflows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import scorerci.core.Context;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.files.AtomicFile;

/**
 * The new texts of a toggle run (disable or enable the test job in every selected workflow),
 * applied all together: in --dry-run as a unified diff on stdout (nothing written), otherwise each
 * changed file replaced atomically. Every new text was parsed and checked by TestToggler before it
 * gets here.
 */
public final class ToggleEdits {
    public record Edit(WorkflowFile file, String newText, String description) {
        public boolean changed() {
            return !newText.equals(file.text());
        }
    }

    private ToggleEdits() {}

    /**
     * Disables {@code job} in the selected workflows (all that have it when {@code workflows} is
     * empty), with a one-line {@code reason} and an optional end date {@code until} (YYYY-MM-DD,
     * not in the past).
     */
    public static List<Edit> disable(
            Context context, List<String> workflows, String job, String reason, String until) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty())
            throw PipelineException.usage(
                    "--reason is empty; say why the tests are off, e.g. --reason \"flaky on ARM runners, see #123\"");
        if (why.contains("\n") || why.contains("\r"))
            throw PipelineException.usage("--reason must be one line");
        if (why.length() > 300)
            throw PipelineException.usage(
                    "--reason is "
                            + why.length()
                            + " characters; keep it under 300 and link an issue");
        LocalDate today = Today.of(context);
        LocalDate end = until == null ? null : Today.date(until, "--until");
        if (end != null && end.isBefore(today)) {
            throw PipelineException.usage(
                    "--until "
                            + end
                            + " is before today ("
                            + today
                            + "); give a date from today on");
        }
        List<Edit> edits = new ArrayList<>();
        for (WorkflowFile wf : WorkflowSet.load(context, workflows, job)) {
            List<String> dependents =
                    wf.layout().jobs().values().stream()
                            .filter(j -> j.needs() != null && j.needs().contains(job))
                            .map(JobsLayout.Job::name)
                            .toList();
            String text = TestToggler.disable(wf, job, why, today, end);
            String what =
                    "disabled job '"
                            + job
                            + "'"
                            + (dependents.isEmpty()
                                    ? ""
                                    : "; "
                                            + String.join(", ", dependents)
                                            + (dependents.size() == 1
                                                    ? " no longer needs it"
                                                    : " no longer need it"))
                            + " (reason: "
                            + why
                            + (end == null ? "" : ", until " + end)
                            + ")";
            edits.add(
                    new Edit(
                            wf,
                            text,
                            text.equals(wf.text()) ? "already disabled with this reason" : what));
        }
        return edits;
    }

    /**
     * Enables {@code job} again in the selected workflows: the inverse of disable, or the legacy
     * form restored.
     */
    public static List<Edit> enable(Context context, List<String> workflows, String job) {
        List<Edit> edits = new ArrayList<>();
        for (WorkflowFile wf : WorkflowSet.load(context, workflows, job)) {
            TestJobStatus before = TestToggler.status(wf, job);
            String text = TestToggler.enable(wf, job);
            String what =
                    before.state() == TestJobStatus.State.LEGACY
                            ? "restored the commented-out job '" + job + "' and its dependency"
                            : "enabled job '" + job + "'";
            edits.add(new Edit(wf, text, text.equals(wf.text()) ? "already enabled" : what));
        }
        return edits;
    }

    /**
     * @return how many files changed (or would change)
     */
    public static int apply(List<Edit> edits, boolean dryRun, Log log) {
        int changed = 0;
        for (Edit edit : edits) {
            if (!edit.changed()) {
                log.progress(
                        "unchanged: "
                                + edit.file().displayName()
                                + " ("
                                + edit.description()
                                + ")");
                continue;
            }
            changed++;
            if (dryRun) {
                log.out()
                        .print(
                                UnifiedDiff.of(
                                        edit.file().displayName(),
                                        edit.file().text(),
                                        edit.newText()));
                log.out().flush();
            } else {
                write(edit.file().path(), edit.newText());
                log.result(edit.file().displayName() + ": " + edit.description());
            }
        }
        if (dryRun)
            log.progress("dry run: " + changed + " file(s) would change; nothing was written");
        return changed;
    }

    /** Through a temporary file and a rename, keeping the workflow file's mode. */
    private static void write(Path target, String text) {
        try {
            AtomicFile.write(
                    target,
                    AtomicFile.modeOf(target),
                    temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot write "
                            + target
                            + ": "
                            + e.getMessage()
                            + "; check the directory's permissions");
        }
    }
}
