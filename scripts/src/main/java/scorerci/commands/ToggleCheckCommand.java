package scorerci.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import scorerci.core.PipelineException;
import scorerci.workflows.ToggleCheck;

/**
 * {@code toggle-tests check}: fail when "temporarily disabled" has become forever, i.e. a test job
 * is disabled with no reason (the legacy commented-out form counts as no reason) or past its
 * --until date (see {@link ToggleCheck}). CI runs it on every push and pull request.
 *
 * <p>Reads: the workflow files; SCORER_TODAY. Writes: nothing (error annotations inside Actions).
 * Prints: one "file:line: problem" line per problem on stdout, then a verdict. Exits: 0 none; 4
 * problems found; 2 malformed YAML; 8 no workflow has the test job.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Fail if a test job is disabled without a reason or past its --until date.")
public class ToggleCheckCommand extends BaseCommand {
    @Mixin ToggleSelection selection;

    @Override
    protected int execute() {
        ToggleCheck.Result check = ToggleCheck.run(context(), selection.workflows, selection.job);
        for (String p : check.problems()) {
            result(p);
            actions().error(p);
        }
        if (!check.ok()) {
            throw PipelineException.verification(
                    check.problems().size()
                            + " test job(s) disabled without a reason or past their end date (as of "
                            + check.today()
                            + ")");
        }
        result(
                "ok: "
                        + check.workflows()
                        + " workflow(s), "
                        + check.disabled()
                        + " test job(s) disabled, each with a reason and within its end date (as of "
                        + check.today()
                        + ")");
        return 0;
    }
}
