package scorerci.cli;

import java.util.List;
import picocli.CommandLine.Command;
import scorerci.commands.BuildZipCommand;
import scorerci.commands.CiCommand;
import scorerci.commands.CommandHost;
import scorerci.commands.DeployCommand;
import scorerci.commands.DownloadArtifactCommand;
import scorerci.commands.RolloutCommand;
import scorerci.commands.ToggleTestsCommand;
import scorerci.commands.UploadArtifactCommand;
import scorerci.commands.VerifyDeployCommand;
import scorerci.commands.VerifyZipCommand;
import scorerci.core.Context;
import scorerci.core.PipelineException;

/**
 * The root of all pipeline commands (classes in scorerci.commands); each alias in
 * jbang-catalog.json names one subcommand. The subcommands are registered by Main (all of them, or
 * only the one a run names), not in the annotation.
 */
@Command(
        name = RootCommand.DISPLAY_NAME,
        mixinStandardHelpOptions = true,
        version = "scorer pipeline 1.0 (jbang-catalog.json: one alias per command)",
        customSynopsis =
                "jbang <command>@. [OPTIONS]   (or: jbang scripts/Pipeline.java <command> [OPTIONS])",
        description = "Build, ship and deploy the rust scorer Lambda.")
public class RootCommand implements Runnable, CommandHost {
    /**
     * What usage lines call the program: every alias runs as {@code jbang <alias>@.}
     * (Main.nameAsUsersTypeIt).
     */
    public static final String DISPLAY_NAME = "jbang";

    /** One line per command, in help order; keep in step with jbang-catalog.json (CatalogTest). */
    static final List<Class<?>> SUBCOMMANDS =
            List.of(
                    BuildZipCommand.class,
                    VerifyZipCommand.class,
                    ToggleTestsCommand.class,
                    CiCommand.class,
                    UploadArtifactCommand.class,
                    DownloadArtifactCommand.class,
                    VerifyDeployCommand.class,
                    RolloutCommand.class,
                    DeployCommand.class);

    private final Context context;

    public RootCommand(Context context) {
        this.context = context;
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public void run() {
        throw PipelineException.usage(
                "name a command, for example: build-zip (see --help for the list)");
    }
}
