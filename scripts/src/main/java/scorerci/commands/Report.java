package scorerci.commands;

import scorerci.core.Actions;
import scorerci.core.Log;

/**
 * A command's result record and every way it is shown: {@link BaseCommand#report} prints it as text
 * lines or (--format json) as the record itself, then writes its step outputs and job summary. One
 * record, so the sinks cannot disagree; ci renders each stage's record the same way and nests the
 * records in its own JSON.
 *
 * <p>The record's components are its JSON fields; these two methods take arguments, so Jackson does
 * not mistake them for properties.
 */
interface Report {
    /** The "key: value" lines: results, printed even with --quiet. */
    void printText(Log log);

    /** Step outputs and the job summary (nothing outside Actions). */
    void writeActions(Actions actions);
}
