package scorerci.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import scorerci.actions.Actions;

/**
 * Everything a command may read from the outside world, injected so that tests can
 * run commands in-process with their own environment, directory and streams.
 *
 * @param env     environment variables (GITHUB_*, ACTIONS_*, AWS_*, ...)
 * @param workDir directory that relative paths resolve against (the process cwd in real runs)
 * @param stdin   answers to confirmations (deploy)
 */
public record Context(Map<String, String> env, Path workDir, BufferedReader stdin,
                      PrintWriter out, PrintWriter err) {

    public static Context fromProcess() {
        return new Context(System.getenv(), Path.of("").toAbsolutePath(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8));
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

    public Actions actions() {
        return new Actions(env, out);
    }
}
