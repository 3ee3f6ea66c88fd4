package scorerci.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import scorerci.workflows.ToggleEdits;

/**
 * {@code toggle-tests enable}: turn the test job on again. For a job this tool disabled, the exact
 * inverse (the file becomes byte-identical to what it was before disable). For the original team's
 * legacy form (job commented out under a TODO, {@code needs: [ref] # TODO: Add back 'test'
 * dependency ...}) the job is uncommented and {@code test} put back first in needs.
 *
 * <p>Reads: the workflow files. Writes: the changed files, atomically (not with --dry-run). Prints:
 * one line per changed file; with --dry-run a unified diff on stdout. Exits: 0 (also when already
 * enabled); 2 malformed YAML, damaged marker, unsupported layout; 8 no such workflow or job.
 */
@Command(
        name = "enable",
        mixinStandardHelpOptions = true,
        description =
                "Turn the test job back on (exact inverse of disable; also restores the legacy commented-out form).")
public class ToggleEnableCommand extends BaseCommand {
    @Mixin ToggleSelection selection;

    @Mixin DryRunOption dryRun;

    @Override
    protected int execute() {
        ToggleEdits.apply(
                ToggleEdits.enable(context(), selection.workflows, selection.job),
                dryRun.dryRun,
                log());
        return 0;
    }
}
