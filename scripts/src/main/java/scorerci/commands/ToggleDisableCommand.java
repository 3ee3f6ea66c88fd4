package scorerci.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.workflows.ToggleEdits;

/**
 * {@code toggle-tests disable --reason TEXT [--until YYYY-MM-DD]}: turn the test job off so the
 * deploy runs without it. The job stays in the file under {@code if: ${{ false }}} with a marker
 * comment (reason, since, until); the jobs that needed it drop it, each changed line marked with a
 * TODO and its original text. Running it on a disabled job updates reason and until.
 *
 * <p>Reads: the workflow files; SCORER_TODAY. Writes: the changed files, atomically (not with
 * --dry-run). Prints: one line per changed file; with --dry-run a unified diff on stdout. Exits: 0;
 * 2 missing/blank/multi-line reason, bad or past --until, malformed YAML, unsupported layout; 8 no
 * such workflow or job.
 */
@Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description =
                "Turn the test job off (the deploy still runs), with a reason and an optional end date.")
public class ToggleDisableCommand extends BaseCommand {
    @Mixin ToggleSelection selection;

    @Option(
            names = "--reason",
            required = true,
            paramLabel = "TEXT",
            description = "Why the tests are off (shown by status, required by check).")
    String reason;

    @Option(
            names = "--until",
            paramLabel = "YYYY-MM-DD",
            description =
                    "Date after which `toggle-tests check` fails until the tests are back on.")
    String until;

    @Mixin DryRunOption dryRun;

    @Override
    protected int execute() {
        ToggleEdits.apply(
                ToggleEdits.disable(context(), selection.workflows, selection.job, reason, until),
                dryRun.dryRun,
                log());
        return 0;
    }
}
