package scorerci.commands;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import scorerci.core.Log;

/** --verbose | --quiet, shared by every command (picocli mixin). */
public class GlobalOptions {
    @ArgGroup(exclusive = true)
    Verbosity verbosity = new Verbosity();

    static class Verbosity {
        @Option(
                names = {"-v", "--verbose"},
                description = "Print tool output, details and stack traces.")
        boolean verbose;

        @Option(
                names = {"-q", "--quiet"},
                description = "Print only results and errors.")
        boolean quiet;
    }

    public Log.Level level() {
        if (verbosity == null) return Log.Level.NORMAL;
        if (verbosity.verbose) return Log.Level.VERBOSE;
        if (verbosity.quiet) return Log.Level.QUIET;
        return Log.Level.NORMAL;
    }
}
