package scorerci.core;

import java.io.PrintWriter;

/**
 * What stages use to talk to the user, so that they never print or exit themselves. result goes to
 * stdout always (--quiet means "results only"); info to stdout unless --quiet; progress to stderr
 * unless --quiet; detail only with --verbose; warn always, to stderr. Stdout stays the command's
 * report: results a script may parse.
 *
 * <p>Both streams pass through {@link SafeWriter}: every line is redacted by value (every secret in
 * {@link scorerci.core.SecretRegistry}) and neutralised (no workflow command, no control
 * character), whoever wrote it and whatever it quotes.
 */
public final class Log {
    public enum Level {
        QUIET,
        NORMAL,
        VERBOSE
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final Level level;

    public Log(PrintWriter out, PrintWriter err, Level level) {
        this.out = SafeWriter.wrap(out);
        this.err = SafeWriter.wrap(err);
        this.level = level;
    }

    /** A log that discards everything but warnings; handy in tests of stages. */
    public static Log silent() {
        PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
        return new Log(sink, sink, Level.QUIET);
    }

    /**
     * A result: what the command found or did, on stdout even with --quiet (which silences the
     * rest).
     */
    public void result(String line) {
        out.println(line);
        out.flush();
    }

    /**
     * Context for a person reading along (what is about to happen, where): stdout, not with
     * --quiet.
     */
    public void info(String line) {
        if (level != Level.QUIET) {
            out.println(line);
            out.flush();
        }
    }

    /** Progress of long operations: on stderr so stdout stays parseable. */
    public void progress(String line) {
        if (level != Level.QUIET) {
            err.println(line);
            err.flush();
        }
    }

    public void detail(String line) {
        if (level == Level.VERBOSE) {
            err.println(line);
            err.flush();
        }
    }

    public void warn(String line) {
        err.println("warning: " + line);
        err.flush();
    }

    public boolean verbose() {
        return level == Level.VERBOSE;
    }

    public boolean quiet() {
        return level == Level.QUIET;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }
}
