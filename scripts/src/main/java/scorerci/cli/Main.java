package scorerci.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;
import scorerci.core.Actions;
import scorerci.core.Context;
import scorerci.core.ExitCode;
import scorerci.core.OutsideText;
import scorerci.core.PipelineException;
import scorerci.core.SafeWriter;
import scorerci.core.SecretRegistry;

/**
 * Builds the picocli command line with the one exception-to-exit-code mapping: PipelineException
 * carries its own code, picocli's ParameterException is USAGE (2), anything else is INTERNAL (1).
 * Every failure prints one line "error: ..." on stderr (plus an ::error:: annotation inside GitHub
 * Actions); stack traces only with --verbose.
 *
 * <p>Before any command runs: the environment's secrets are registered ({@link SecretRegistry}:
 * redacted in every sink, and add-masked for the runner inside Actions, as is every secret
 * registered later), and every argument is checked for control characters and line separators
 * (USAGE): no free-text option can smuggle a newline, a terminal escape or a U+2028 into a file, a
 * workflow or the log. Error lines are redacted and escaped.
 */
public final class Main {
    static {
        // picocli's default factory looks for groovy.lang.Closure once; the miss makes the class
        // loader open every jar on the classpath (60, most of them the AWS SDK's), ~15 ms of each
        // short command's start. No command is a Groovy closure.
        if (System.getProperty("picocli.disable.closures") == null)
            System.setProperty("picocli.disable.closures", "true");
    }

    private Main() {}

    /** The process's entry (scripts/Pipeline.java). */
    public static int run(String[] args) {
        if (StartupWarmup.pays(args)) StartupWarmup.start();
        return run(args, Context.fromProcess());
    }

    public static int run(String[] args, Context context) {
        return run(args, context, CommandLine.defaultFactory());
    }

    /**
     * @param factory makes the command objects: tests hand some commands their collaborators
     *     (deploy's Lambda check)
     */
    public static int run(String[] args, Context context, CommandLine.IFactory factory) {
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
            CommandLine cmd = commandLineFor(args.length > 0 ? args[0] : "", context, factory);
            try {
                return cmd.execute(args);
            } catch (LinkageError | StackOverflowError e) {
                // picocli hands on Errors; these come from hostile input reaching library code
                // (a missing optional codec, a deeply nested structure): one redacted line, exit 1
                PrintWriter err = SafeWriter.wrap(context.err());
                err.println(
                        "error: internal error ("
                                + e.getClass().getSimpleName()
                                + ": "
                                + OutsideText.escape(
                                        SecretRegistry.redact(String.valueOf(e.getMessage())))
                                + "); rerun with --verbose and report it");
                err.flush();
                return ExitCode.INTERNAL.code;
            }
        } finally {
            SecretRegistry.removeListener(mask);
        }
    }

    /**
     * The one rule for free text on the command line: no C0/C1 control character, no DEL, no
     * U+2028/U+2029 line separator, no bidirectional override, in any argument. Returns the refusal
     * message, or null.
     */
    static String refusedArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            int at = OutsideText.firstUnsafe(args[i]);
            if (at < 0) continue;
            return "argument "
                    + (i + 1)
                    + " ('"
                    + OutsideText.escape(SecretRegistry.redact(args[i]))
                    + "') contains "
                    + OutsideText.codePoint(args[i].charAt(at))
                    + ", a control character or line separator;"
                    + " options take one line of printable text: remove it";
        }
        return null;
    }

    /** True if {@code name} is a pipeline command (without building the command tree). */
    public static boolean hasCommand(String name) {
        return commandNamed(name) != null;
    }

    private static Class<?> commandNamed(String name) {
        return RootCommand.SUBCOMMANDS.stream()
                .filter(c -> c.getAnnotation(CommandLine.Command.class).name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** The whole command tree (help of the root, tests). */
    public static CommandLine commandLine(Context context) {
        return commandLine(context, CommandLine.defaultFactory());
    }

    public static CommandLine commandLine(Context context, CommandLine.IFactory factory) {
        return commandLineFor("", context, factory);
    }

    /**
     * The command tree with only the subcommand named {@code first} when there is one, else with
     * all. Why: picocli reflects over every option of every registered command when the tree is
     * built, the larger part of a short run's start-up; a run needs only the command it names.
     */
    static CommandLine commandLineFor(String first, Context context, CommandLine.IFactory factory) {
        CommandLine cmd = new CommandLine(new RootCommand(context), factory);
        Class<?> named = commandNamed(first);
        for (Class<?> subcommand : RootCommand.SUBCOMMANDS) {
            if (named == null || subcommand == named) cmd.addSubcommand(subcommand);
        }
        nameAsUsersTypeIt(cmd);
        cmd.setDefaultValueProvider(option -> repositoryDefault(option, context));
        cmd.setOut(context.out());
        cmd.setErr(context.err());
        cmd.setExitCodeExceptionMapper(Main::exitCodeOf);
        cmd.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    report(
                            ex,
                            commandLine,
                            parseResult.expandedArgs().contains("--verbose")
                                    || parseResult.expandedArgs().contains("-v"),
                            context);
                    return exitCodeOf(ex);
                });
        cmd.setParameterExceptionHandler(
                (ex, args) -> {
                    PrintWriter err = SafeWriter.wrap(ex.getCommandLine().getErr());
                    // picocli starts some messages with its own "Error: "; ours already say "error:
                    // "
                    err.println(
                            "error: "
                                    + OutsideText.escape(
                                            SecretRegistry.redact(
                                                    ex.getMessage().replaceFirst("^Error: ", "")))
                                    + didYouMean(ex));
                    err.println("usage: see '" + helpCommand(ex.getCommandLine()) + "'");
                    err.flush();
                    return ExitCode.USAGE.code;
                });
        return cmd;
    }

    /**
     * Usage lines and error hints name the command a user runs: {@code jbang build-zip@.}, not the
     * class tree's internal names. Each alias of jbang-catalog.json passes its subcommand's name as
     * the first argument, so the parser keeps matching on those names; only the displayed name
     * changes. Every command answers -V with the root's version.
     */
    static void nameAsUsersTypeIt(CommandLine root) {
        root.getCommandSpec().name(RootCommand.DISPLAY_NAME);
        String[] version = root.getCommandSpec().version();
        for (var entry : root.getSubcommands().entrySet()) {
            CommandLine.Model.CommandSpec sub = entry.getValue().getCommandSpec();
            sub.name(entry.getKey() + "@.");
            withVersion(entry.getValue(), version);
        }
    }

    private static void withVersion(CommandLine cmd, String[] version) {
        cmd.getCommandSpec().version(version);
        cmd.getSubcommands().values().forEach(sub -> withVersion(sub, version));
    }

    /**
     * The one rule for paths: a path the user types is relative to the working directory, a default
     * path (an option labelled PATH or DIR with a relative default such as {@code scorer} or {@code
     * rust-scorer-artifact}) to the repository root, so a command run from a subdirectory reads and
     * writes the same files as from the root. Returned relative to the working directory ({@code
     * ../scorer}), which is also what --help shows there.
     */
    static String repositoryDefault(CommandLine.Model.ArgSpec arg, Context context) {
        if (!(arg instanceof CommandLine.Model.OptionSpec option)) return null;
        String declared = option.defaultValue();
        if (declared == null
                || !(option.paramLabel().equals("PATH") || option.paramLabel().equals("DIR")))
            return null;
        if (java.nio.file.Path.of(declared).isAbsolute()) return null;
        java.nio.file.Path here = context.workDir().toAbsolutePath().normalize();
        java.nio.file.Path root = context.repoRoot();
        if (root.equals(here)) return null;
        return here.relativize(root.resolve(declared).normalize()).toString();
    }

    /**
     * The command that shows this command's help; the root has no alias, so JBang runs the script
     * itself.
     */
    static String helpCommand(CommandLine commandLine) {
        CommandLine.Model.CommandSpec spec = commandLine.getCommandSpec();
        return spec.parent() == null
                ? "jbang scripts/Pipeline.java --help"
                : spec.qualifiedName() + " --help";
    }

    /**
     * Close matches for a mistyped option or subcommand, as "; did you mean --tag?": names within a
     * small edit distance (picocli's own suggestions only match an option's first two letters).
     */
    static String didYouMean(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched)
                || unmatched.getUnmatched().isEmpty()) return "";
        String typed = unmatched.getUnmatched().get(0).split("=", 2)[0];
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        List<String> names = new java.util.ArrayList<>(spec.subcommands().keySet());
        spec.options().stream()
                .filter(o -> !o.hidden())
                .forEach(o -> names.addAll(List.of(o.names())));
        int limit = Math.max(2, typed.length() / 3);
        List<String> close =
                names.stream()
                        .distinct()
                        .filter(n -> editDistance(typed, n) <= limit)
                        .sorted(
                                java.util.Comparator.comparingInt(
                                                (String n) -> editDistance(typed, n))
                                        .thenComparing(n -> n))
                        .limit(3)
                        .toList();
        if (close.isEmpty()) close = unmatched.getSuggestions().stream().limit(3).toList();
        return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
    }

    /** Levenshtein distance (the strings are option and command names: a few dozen characters). */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof PipelineException pe) return pe.exitCode().code;
        if (ex instanceof CommandLine.ParameterException) return ExitCode.USAGE.code;
        return ExitCode.INTERNAL.code;
    }

    private static void report(
            Exception ex, CommandLine commandLine, boolean verbose, Context context) {
        PrintWriter err = SafeWriter.wrap(commandLine.getErr());
        String message =
                ex instanceof PipelineException
                        ? ex.getMessage()
                        : "internal error ("
                                + ex.getClass().getSimpleName()
                                + ": "
                                + ex.getMessage()
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
