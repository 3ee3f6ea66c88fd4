package scorerci.testing;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import scorerci.cli.Main;
import scorerci.core.Context;

/**
 * Runs a pipeline command in-process, as `jbang <alias>@.` would, with an explicit environment
 * (nothing inherited unless asked), working directory and stdin, and captures stdout, stderr and
 * the exit code.
 */
public final class CommandHarness {
    private final Map<String, String> env = new HashMap<>();
    private Path workDir = Path.of("").toAbsolutePath();
    private String stdin = "";
    private final Map<Class<?>, Supplier<?>> commands = new HashMap<>();

    /**
     * Starts with PATH and HOME from this process only, so tool lookups work but no GITHUB_* leaks
     * in.
     */
    public static CommandHarness create() {
        CommandHarness h = new CommandHarness();
        for (String keep : new String[] {"PATH", "HOME", "JAVA_HOME", "TMPDIR", "LANG"}) {
            String v = System.getenv(keep);
            if (v != null) h.env.put(keep, v);
        }
        return h;
    }

    public CommandHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public CommandHarness env(Map<String, String> values) {
        env.putAll(values);
        return this;
    }

    public CommandHarness workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    public CommandHarness stdin(String text) {
        this.stdin = text;
        return this;
    }

    /**
     * Runs {@code type}'s command as {@code make} builds it (e.g. deploy with a recording Lambda
     * check).
     */
    public <T> CommandHarness command(Class<T> type, Supplier<? extends T> make) {
        commands.put(type, make);
        return this;
    }

    /**
     * A throwaway context (empty env, cwd, no stdin) for tests that only inspect the command tree.
     */
    public static Context context() {
        PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
        return new Context(
                Map.of(),
                Path.of("").toAbsolutePath(),
                new BufferedReader(new StringReader("")),
                sink,
                sink);
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context context =
                new Context(
                        Map.copyOf(env),
                        workDir,
                        new BufferedReader(new StringReader(stdin)),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory =
                new CommandLine.IFactory() {
                    @Override
                    public <K> K create(Class<K> cls) throws Exception {
                        Supplier<?> make = commands.get(cls);
                        return make == null ? defaults.create(cls) : cls.cast(make.get());
                    }
                };
        int code = Main.run(args, context, factory);
        return new Result(code, out.toString(), err.toString());
    }

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
