package scorerci.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a command may read from the outside world, injected so that tests can run commands
 * in-process with their own environment, directory and streams.
 *
 * @param env environment variables (GITHUB_*, ACTIONS_*, AWS_*, ...)
 * @param workDir directory that relative paths resolve against (the process cwd in real runs)
 * @param stdin answers to confirmations (deploy)
 */
public record Context(
        Map<String, String> env,
        Path workDir,
        BufferedReader stdin,
        PrintWriter out,
        PrintWriter err) {

    /**
     * The real process. Confirmations are answered only from a terminal: when stdin is a pipe, a
     * file or /dev/null (CI, a script), {@code stdin} reads as empty, so a prompt declines at once
     * instead of waiting forever on a pipe nobody writes to.
     */
    public static Context fromProcess() {
        java.io.Reader in =
                stdinIsTerminal()
                        ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                        : java.io.Reader.nullReader();
        return new Context(
                System.getenv(),
                Path.of("").toAbsolutePath(),
                new BufferedReader(in),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    }

    /**
     * Whether file descriptor 0 is a terminal (Linux: /proc/self/fd/0 names a tty; elsewhere: a
     * console exists).
     */
    public static boolean stdinIsTerminal() {
        try {
            String target =
                    java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/")
                    || target.startsWith("/dev/tty")
                    || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public String env(String name, String fallback) {
        String value = env(name);
        return value == null ? fallback : value;
    }

    public Path resolve(String path) {
        return workDir.resolve(path).normalize();
    }

    /** The file that marks the repository root: the catalog every `jbang <alias>@.` reads. */
    public static final String ROOT_MARKER = "jbang-catalog.json";

    /**
     * The repository root: the nearest directory at or above {@code workDir} holding {@value
     * #ROOT_MARKER}, else the nearest holding .git, else {@code workDir} itself. Defaults such as
     * scorer/, infra/ and rust-scorer-artifact/ resolve against it, so a command run from a
     * subdirectory finds them; paths the user types resolve against {@code workDir} (Main's
     * default-value provider applies that rule to every path option).
     */
    public Path repoRoot() {
        Path start = workDir.toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (java.nio.file.Files.isRegularFile(p.resolve(ROOT_MARKER))) return p;
        }
        for (Path p = start; p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p.resolve(".git"))) return p;
        }
        return start;
    }

    /**
     * The same context in another working directory (ci runs its stages from the repository root).
     */
    public Context inDirectory(Path directory) {
        return new Context(env, directory, stdin, out, err);
    }

    public Actions actions() {
        return new Actions(env, out);
    }
}
