package scorerci.pulumi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;

/**
 * Runs the pulumi CLI in the Pulumi project directory (infra/aws) with exactly the environment it
 * is given: the command's injected environment plus the deploy variables. Variables this JVM
 * inherited but the command was not given are removed, so what pulumi sees is what the caller
 * decided (and what tests inject).
 */
public final class PulumiCli {
    /**
     * Set for every call: a CI run must not print "a new version of Pulumi is available" into
     * --json output.
     */
    public static final Map<String, String> QUIET_CLI = Map.of("PULUMI_SKIP_UPDATE_CHECK", "true");

    private final Path binary;
    private final Path projectDir;
    private final Map<String, String> environment;
    private final Log log;
    private final Duration timeout;

    public PulumiCli(
            Path binary,
            Path projectDir,
            Map<String, String> environment,
            Log log,
            Duration timeout) {
        this.binary = binary;
        this.projectDir = projectDir;
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(QUIET_CLI);
        this.environment = Map.copyOf(env);
        this.log = log;
        this.timeout = timeout;
    }

    /**
     * Runs `pulumi args...`, handing each output line (stdout and stderr merged) to lines; never
     * throws on exit != 0.
     */
    public ExternalProcess.Result run(Consumer<String> lines, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        log.detail("$ pulumi " + String.join(" ", args) + "    (in " + projectDir + ")");
        ExternalProcess process =
                ExternalProcess.of(command)
                        .in(projectDir)
                        .env(environment)
                        .timeout(timeout)
                        .onLine(lines);
        for (String name : inheritedButNotGiven()) process.unsetEnv(name);
        return process.run();
    }

    /**
     * Runs it and throws TOOL_FAILED, naming the command and Pulumi's own error line, if it fails.
     */
    public ExternalProcess.Result runOrFail(Consumer<String> lines, String... args) {
        ExternalProcess.Result result = run(lines, args);
        if (!result.ok()) throw failed(result, reason(result.output()), args);
        return result;
    }

    public static PipelineException failed(
            ExternalProcess.Result result, String reason, String... args) {
        return PipelineException.toolFailed(
                "pulumi "
                        + String.join(" ", args)
                        + " failed (exit "
                        + result.exitCode()
                        + "): "
                        + reason);
    }

    /**
     * Pulumi's own explanation: its last "error:" line, else its last non-blank line that is not
     * JSON.
     */
    public static String reason(String output) {
        List<String> lines =
                output.lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .filter(
                                l ->
                                        !l.startsWith("{")
                                                && !l.startsWith("}")
                                                && !l.startsWith("\""))
                        .toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("error:"))
                return lines.get(i).substring("error:".length()).strip();
        }
        return lines.isEmpty() ? "it printed nothing" : lines.get(lines.size() - 1);
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Path projectDir() {
        return projectDir;
    }

    private Set<String> inheritedButNotGiven() {
        // ProcessBuilder starts from this JVM's environment; in real runs it equals the given one
        Set<String> names = new HashSet<>(new ProcessBuilder().environment().keySet());
        names.removeAll(environment.keySet());
        return names;
    }
}
