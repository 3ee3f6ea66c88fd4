package scorerci.workflows;

import java.util.List;
import scorerci.cli.Log;

/**
 * The new texts of a toggle run, applied all together: in --dry-run as a unified diff on stdout
 * (nothing written), otherwise each changed file replaced atomically. Every new text was
 * parsed and checked by TestToggler before it gets here.
 */
final class ToggleEdits {
    record Edit(WorkflowFile file, String newText, String description) {
        boolean changed() { return !newText.equals(file.text()); }
    }

    private ToggleEdits() {}

    /** @return how many files changed (or would change) */
    static int apply(List<Edit> edits, boolean dryRun, Log log) {
        int changed = 0;
        for (Edit edit : edits) {
            if (!edit.changed()) {
                log.progress("unchanged: " + edit.file().displayName() + " (" + edit.description() + ")");
                continue;
            }
            changed++;
            if (dryRun) {
                log.out().print(UnifiedDiff.of(edit.file().displayName(), edit.file().text(), edit.newText()));
                log.out().flush();
            } else {
                AtomicWrite.write(edit.file().path(), edit.newText());
                log.info(edit.file().displayName() + ": " + edit.description());
            }
        }
        if (dryRun) log.progress("dry run: " + changed + " file(s) would change; nothing was written");
        return changed;
    }
}
