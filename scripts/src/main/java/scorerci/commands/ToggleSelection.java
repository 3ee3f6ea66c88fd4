package scorerci.commands;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which workflows and which job a toggle-tests subcommand works on (picocli mixin). */
public class ToggleSelection {
    @Option(
            names = "--workflow",
            paramLabel = "FILE",
            description =
                    "Workflow file to work on (repeatable). Default: every .github/workflows/*.yml with the test job.")
    List<String> workflows = new ArrayList<>();

    @Option(
            names = "--job",
            paramLabel = "NAME",
            defaultValue = "test",
            description = "Name of the test job (default: ${DEFAULT-VALUE}).")
    String job;
}
