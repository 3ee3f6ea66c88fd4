package scorerci.cli;

import picocli.CommandLine.Command;

/** The root of all pipeline commands; each alias in jbang-catalog.json names one subcommand. */
@Command(name = "pipeline",
        mixinStandardHelpOptions = true,
        version = "scorer pipeline 1.0",
        description = "Build, ship and deploy the rust scorer Lambda.",
        subcommands = {
                // one line per command; keep in step with jbang-catalog.json (CatalogTest)
                BuildZipCommand.class,
                VerifyZipCommand.class,
                scorerci.workflows.ToggleTestsCommand.class,
                scorerci.workflows.CiCommand.class,
                scorerci.artifacts.UploadArtifactCommand.class,
                scorerci.artifacts.DownloadArtifactCommand.class,
                VerifyDeployCommand.class,
                RolloutCommand.class,
                scorerci.pulumi.DeployCommand.class,
        })
public class RootCommand implements Runnable {
    private final Context context;

    public RootCommand(Context context) {
        this.context = context;
    }

    public Context context() {
        return context;
    }

    @Override
    public void run() {
        throw PipelineException.usage("name a command, for example: build-zip (see --help for the list)");
    }
}
