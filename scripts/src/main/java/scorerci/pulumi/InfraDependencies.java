package scorerci.pulumi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;

/**
 * Makes sure infra/node_modules matches infra/package-lock.json before Pulumi runs the TypeScript
 * program (the original deploy job ran `yarn install` in infra/ for the same reason). `npm ci` runs
 * when node_modules is missing or older than the lockfile; npm writes
 * node_modules/.package-lock.json at the end of every install, which dates the install.
 */
public final class InfraDependencies {
    private InfraDependencies() {}

    /** Why an install is needed, or null if node_modules is current. */
    public static String staleReason(Path infraDir) {
        Path modules = infraDir.resolve("node_modules");
        if (!Files.isDirectory(modules)) return "node_modules is missing";
        Path lock = infraDir.resolve("package-lock.json");
        if (!Files.isRegularFile(lock)) return null;
        Path installed = modules.resolve(".package-lock.json");
        try {
            FileTime installedAt =
                    Files.getLastModifiedTime(Files.exists(installed) ? installed : modules);
            if (Files.getLastModifiedTime(lock).compareTo(installedAt) > 0)
                return "package-lock.json is newer than node_modules";
        } catch (IOException e) {
            return "cannot date node_modules (" + e.getMessage() + ")";
        }
        return null;
    }

    /**
     * Runs `npm ci` (or `npm install` without a lockfile) in infraDir if needed.
     *
     * @return the reason it ran, or null if nothing was needed
     */
    public static String ensureInstalled(
            Path infraDir, Map<String, String> env, Consumer<String> lines) {
        String reason = staleReason(infraDir);
        if (reason == null) return null;
        Path npm = ExternalProcess.locate("npm", env);
        if (npm == null) {
            throw PipelineException.prerequisite(
                    "npm is not on PATH but "
                            + infraDir.resolve("node_modules")
                            + " must be "
                            + "installed ("
                            + reason
                            + "): install Node.js 20+ (apt-get install nodejs npm, or actions/setup-node)");
        }
        boolean locked = Files.isRegularFile(infraDir.resolve("package-lock.json"));
        List<String> command =
                locked
                        ? List.of(npm.toString(), "ci", "--no-audit", "--no-fund")
                        : List.of(npm.toString(), "install", "--no-audit", "--no-fund");
        ExternalProcess process =
                ExternalProcess.of(command)
                        .in(infraDir)
                        .env(env)
                        .timeout(Duration.ofMinutes(15))
                        .onLine(lines);
        Set<String> notGiven = new HashSet<>(new ProcessBuilder().environment().keySet());
        notGiven.removeAll(env.keySet());
        notGiven.forEach(process::unsetEnv);
        ExternalProcess.Result result = process.run();
        if (!result.ok()) {
            throw PipelineException.toolFailed(
                    "npm "
                            + command.get(1)
                            + " in "
                            + infraDir
                            + " failed (exit "
                            + result.exitCode()
                            + "): "
                            + lastLine(result.output())
                            + "; run it there yourself to see the whole log");
        }
        return reason;
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
    }
}
