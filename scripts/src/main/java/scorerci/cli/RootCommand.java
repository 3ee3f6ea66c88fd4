package scorerci.cli;

import picocli.CommandLine.Command;

/** The root of all pipeline commands; each alias in jbang-catalog.json names one subcommand. */
@Command(name = "pipeline",
        mixinStandardHelpOptions = true,
        version = "scorer pipeline 1.0",
        description = "Build, ship and deploy the rust scorer Lambda.",
        subcommands = {
                // one line per command; keep in step with jbang-catalog.json (CatalogTest)
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
