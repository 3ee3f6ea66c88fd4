package scorerci.commands;

import picocli.CommandLine.Command;
import scorerci.core.PipelineException;

/**
 * {@code toggle-tests}: switch the deploy workflows' test jobs off and on again, safely.
 *
 * <p>Reads: .github/workflows/*.yml (or the --workflow files); SCORER_TODAY (YYYY-MM-DD, optional)
 * as today's date. Writes: disable/enable rewrite the changed workflow files atomically (temp +
 * rename); --dry-run writes nothing. Prints: see each subcommand (status, disable, enable, check).
 * Exits: 0 ok; 2 malformed YAML, bad option, or a job layout this tool does not edit; 4 check found
 * an expired or unexplained disabled test job; 8 no such workflow or test job.
 */
@Command(
        name = "toggle-tests",
        mixinStandardHelpOptions = true,
        description =
                "Switch the test jobs of the deploy workflows off (with a reason and an end date) and on again.",
        subcommands = {
            ToggleStatusCommand.class,
            ToggleDisableCommand.class,
            ToggleEnableCommand.class,
            ToggleCheckCommand.class
        })
public class ToggleTestsCommand implements Runnable {
    @Override
    public void run() {
        throw PipelineException.usage(
                "name a subcommand: status, disable, enable or check (see toggle-tests --help)");
    }
}
