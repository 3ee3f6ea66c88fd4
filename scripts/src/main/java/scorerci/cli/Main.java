package scorerci.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import scorerci.actions.Actions;

/**
 * Builds the picocli command line with the one exception-to-exit-code mapping:
 * PipelineException carries its own code, picocli's ParameterException is USAGE (2),
 * anything else is INTERNAL (1). Every failure prints one line "error: ..." on stderr
 * (plus an ::error:: annotation inside GitHub Actions); stack traces only with --verbose.
 */
public final class Main {
    private Main() {}

    public static int run(String[] args) {
        return run(args, Context.fromProcess());
    }

    public static int run(String[] args, Context context) {
        CommandLine cmd = commandLine(context);
        return cmd.execute(args);
    }

    public static CommandLine commandLine(Context context) {
        CommandLine cmd = new CommandLine(new RootCommand(context));
        cmd.setOut(context.out());
        cmd.setErr(context.err());
        cmd.setExitCodeExceptionMapper(Main::exitCodeOf);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            report(ex, commandLine, parseResult.expandedArgs().contains("--verbose")
                    || parseResult.expandedArgs().contains("-v"), context);
            return exitCodeOf(ex);
        });
        cmd.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("usage: see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return ExitCode.USAGE.code;
        });
        return cmd;
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof PipelineException pe) return pe.exitCode().code;
        if (ex instanceof CommandLine.ParameterException) return ExitCode.USAGE.code;
        return ExitCode.INTERNAL.code;
    }

    private static void report(Exception ex, CommandLine commandLine, boolean verbose, Context context) {
        PrintWriter err = commandLine.getErr();
        String message = ex instanceof PipelineException
                ? ex.getMessage()
                : "internal error (" + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                        + "); rerun with --verbose and report it";
        err.println("error: " + message);
        if (verbose) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        new Actions(context.env(), commandLine.getOut()).error(message);
    }
}
