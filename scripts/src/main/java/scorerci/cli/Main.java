package scorerci.cli;

import scorerci.core.Context;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;
import scorerci.core.Actions;
import scorerci.core.OutsideText;
import scorerci.core.SafeWriter;
import scorerci.core.SecretRegistry;

/**
 * Builds the picocli command line with the one exception-to-exit-code mapping:
 * PipelineException carries its own code, picocli's ParameterException is USAGE (2),
 * anything else is INTERNAL (1). Every failure prints one line "error: ..." on stderr
 * (plus an ::error:: annotation inside GitHub Actions); stack traces only with --verbose.
 *
 * Before any command runs: the environment's secrets are registered ({@link SecretRegistry}:
 * redacted in every sink, and add-masked for the runner inside Actions, as is every secret
 * registered later), and every argument is checked for control characters and line separators
 * (USAGE): no free-text option can smuggle a newline, a terminal escape or a U+2028 into a file,
 * a workflow or the log. Error lines are redacted and escaped.
 */
public final class Main {
    private Main() {}

    public static int run(String[] args) {
        return run(args, Context.fromProcess());
    }

    public static int run(String[] args, Context context) {
        SecretRegistry.registerEnvironment(context.env());
        Actions actions = new Actions(context.env(), context.out());
        Consumer<String> mask = actions::mask;
        if (actions.inActions()) SecretRegistry.onRegister(mask);
        try {
            String refused = refusedArgument(args);
            if (refused != null) {
                PrintWriter err = SafeWriter.wrap(context.err());
                err.println("error: " + refused);
                err.flush();
                return ExitCode.USAGE.code;
            }
            CommandLine cmd = commandLine(context);
            return cmd.execute(args);
        } finally {
            SecretRegistry.removeListener(mask);
        }
    }

    /**
     * The one rule for free text on the command line: no C0/C1 control character, no DEL, no
     * U+2028/U+2029 line separator, no bidirectional override, in any argument. Returns the
     * refusal message, or null.
     */
    static String refusedArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            int at = OutsideText.firstUnsafe(args[i]);
            if (at < 0) continue;
            return "argument " + (i + 1) + " ('" + OutsideText.escape(SecretRegistry.redact(args[i])) + "') contains "
                    + OutsideText.codePoint(args[i].charAt(at)) + ", a control character or line separator;"
                    + " options take one line of printable text: remove it";
        }
        return null;
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
            PrintWriter err = SafeWriter.wrap(ex.getCommandLine().getErr());
            err.println("error: " + OutsideText.escape(SecretRegistry.redact(ex.getMessage())));
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
        PrintWriter err = SafeWriter.wrap(commandLine.getErr());
        String message = ex instanceof PipelineException
                ? ex.getMessage()
                : "internal error (" + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                        + "); rerun with --verbose and report it";
        message = OutsideText.escape(SecretRegistry.redact(message));
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
