package scorerci.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import scorerci.core.Actions;
import scorerci.core.Context;
import scorerci.core.Log;

/**
 * Base of every subcommand: the shared --verbose/--quiet mixin, access to the injected Context, a
 * Log bound to the command's writers, and the Actions adapter. Subclasses implement {@link
 * #execute()}, return an exit code and throw PipelineException for expected failures; they never
 * call System.exit.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec protected CommandSpec spec;

    @Mixin protected GlobalOptions global;

    private Log log;

    /** The root command: the Context and in-process runs of sibling commands. */
    protected CommandHost host() {
        return (CommandHost) spec.root().userObject();
    }

    protected Context context() {
        return host().context();
    }

    protected Log log() {
        if (log == null) {
            // with --format json stdout holds only the JSON record: progress and info lines go to
            // stderr
            log =
                    new Log(
                            jsonOutput()
                                    ? spec.commandLine().getErr()
                                    : spec.commandLine().getOut(),
                            spec.commandLine().getErr(),
                            global.level());
        }
        return log;
    }

    /**
     * Where a --format json record goes: stdout, through the same redacting sink as every printed
     * line.
     */
    protected Log results() {
        return new Log(spec.commandLine().getOut(), spec.commandLine().getErr(), global.level());
    }

    /**
     * The one way a command shows its result: the record as JSON on stdout with --format json, else
     * its text lines; then its step outputs and job summary, from the same record either way.
     */
    protected void report(Report report) {
        if (jsonOutput()) FormatOption.printJson(results(), report);
        else report.printText(log());
        report.writeActions(actions());
    }

    protected boolean jsonOutput() {
        CommandSpec mixin = spec.mixins().get("output");
        return mixin != null && mixin.userObject() instanceof FormatOption f && f.json();
    }

    /** A result line on stdout: printed even with --quiet, which silences progress, not results. */
    protected void result(String line) {
        log().result(line); // Log's writers redact and neutralise
    }

    protected Actions actions() {
        return new Actions(context().env(), spec.commandLine().getOut());
    }

    @Override
    public final Integer call() throws Exception {
        actions().checkFiles(); // a FIFO or read-only GITHUB_OUTPUT fails now, not after the work
        // landed
        return execute();
    }

    protected abstract int execute() throws Exception;
}
