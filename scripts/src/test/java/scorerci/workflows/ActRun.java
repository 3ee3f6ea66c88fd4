package scorerci.workflows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scorerci.process.ExternalProcess;

/**
 * One run of a real workflow file under act (nektos/act) on this host: jobs run as host processes
 * (`-P label=-self-hosted`), act's own artifact server listens on 127.0.0.1, every public action is
 * mapped to its stand-in in scripts/src/test/resources/act (no network), and runner-image tools
 * that would change this machine (sudo, rustup, gh) are stand-ins first on PATH.
 */
final class ActRun {
    static final Path STANDINS = ActWorkspace.REPO.resolve("scripts/src/test/resources/act");
    static final Duration TIMEOUT = Duration.ofMinutes(8);

    /**
     * Each pinned action of the workflows → its stand-in folder (the pins WorkflowContractTest
     * verifies).
     */
    static final Map<String, String> ACTIONS =
            Map.of(
                    "actions/checkout", "checkout",
                    "actions/setup-java", "setup-java",
                    "actions/setup-node", "setup-node",
                    "actions/cache", "cache",
                    "actions/github-script", "github-script",
                    "aws-actions/configure-aws-credentials", "configure-aws-credentials",
                    "actions/attest-build-provenance", "attest-build-provenance");

    /**
     * The outcome: act's exit code, its log, the stand-ins' log, and each job's result by job name.
     */
    record Result(int exitCode, String output, String standins, Map<String, String> jobs) {
        boolean succeeded(String job) {
            return "success".equals(jobs.get(job));
        }

        @Override
        public String toString() {
            return "act exit "
                    + exitCode
                    + "\njobs: "
                    + jobs
                    + "\n--- stand-ins\n"
                    + standins
                    + "\n--- act (last 150 lines)\n"
                    + String.join(
                            "\n",
                            output.lines()
                                    .skip(Math.max(0, output.lines().count() - 150))
                                    .toList());
        }
    }

    private final Path act;
    private final ActWorkspace workspace;
    private final Path scratch;
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, String> vars = new LinkedHashMap<>();
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String pathPrefix = "";

    ActRun(Path act, ActWorkspace workspace, Path scratch) {
        this.act = act;
        this.workspace = workspace;
        this.scratch = scratch;
    }

    ActRun secret(String name, String value) {
        secrets.put(name, value);
        return this;
    }

    ActRun var(String name, String value) {
        vars.put(name, value);
        return this;
    }

    ActRun input(String name, String value) {
        inputs.put(name, value);
        return this;
    }

    ActRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Directories put first on the jobs' PATH (e.g. the fake pulumi's). */
    ActRun path(Path dir) {
        pathPrefix = pathPrefix + dir + ":";
        return this;
    }

    Result run(String workflow, String dispatchRef) {
        try {
            Path home = Files.createDirectories(scratch.resolve("home"));
            Path artifacts = Files.createDirectories(scratch.resolve("artifact-server"));
            Path log = scratch.resolve("standins.log");
            Files.deleteIfExists(log);
            Files.createFile(log);
            Path event = scratch.resolve("event.json");
            Files.writeString(event, eventJson(dispatchRef));
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    act.toString(),
                                    "workflow_dispatch",
                                    "-W",
                                    ".github/workflows/" + workflow,
                                    "-e",
                                    event.toString(),
                                    "-P",
                                    "ubuntu-latest=-self-hosted",
                                    "-P",
                                    "ubuntu-24.04=-self-hosted",
                                    "-P",
                                    "ubuntu-24.04-arm=-self-hosted",
                                    "--artifact-server-path",
                                    artifacts.toString(),
                                    "--artifact-server-addr",
                                    "127.0.0.1",
                                    "--artifact-server-port",
                                    Integer.toString(freePort()),
                                    "--no-cache-server",
                                    "--action-offline-mode",
                                    "--action-cache-path",
                                    home.resolve("act-cache").toString(),
                                    "--env",
                                    "SCORER_ACT_LOG=" + log,
                                    "--env",
                                    "SCORER_ACT_REPO=" + workspace.root));
            for (Map.Entry<String, String> pin : pins().entrySet()) {
                command.add("--local-repository");
                command.add(
                        pin.getKey() + "=" + STANDINS.resolve("actions").resolve(pin.getValue()));
            }
            secrets.forEach(
                    (k, v) -> {
                        command.add("-s");
                        command.add(k + "=" + v);
                    });
            vars.forEach(
                    (k, v) -> {
                        command.add("--var");
                        command.add(k + "=" + v);
                    });
            inputs.forEach(
                    (k, v) -> {
                        command.add("--input");
                        command.add(k + "=" + v);
                    });
            env.forEach(
                    (k, v) -> {
                        command.add("--env");
                        command.add(k + "=" + v);
                    });
            Path bin = STANDINS.resolve("bin");
            ExternalProcess.Result r =
                    ExternalProcess.of(command)
                            .in(workspace.root)
                            .env("HOME", home.toString())
                            .env("PATH", pathPrefix + bin + ":" + System.getenv("PATH"))
                            .env("SCORER_ACT_LOG", log.toString())
                            .unsetEnv("GITHUB_ACTIONS")
                            .unsetEnv("ACTIONS_RUNTIME_TOKEN")
                            .unsetEnv("ACTIONS_RESULTS_URL")
                            .unsetEnv("GITHUB_TOKEN")
                            .unsetEnv("CI")
                            .timeout(TIMEOUT)
                            .run();
            return new Result(
                    r.exitCode(), r.output(), Files.readString(log), jobResults(r.output()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * owner/repo@sha → stand-in folder, for every pinned action the workflows and local actions
     * use.
     */
    private Map<String, String> pins() {
        Map<String, String> pins = new LinkedHashMap<>();
        WorkflowContractTest.VERIFIED_PINS
                .keySet()
                .forEach(
                        pin -> {
                            String repo = pin.substring(0, pin.indexOf('@'));
                            String standin = ACTIONS.get(repo);
                            if (standin == null)
                                throw new IllegalStateException(
                                        "no act stand-in for " + pin + "; add one to " + STANDINS);
                            pins.put(pin, standin);
                        });
        return pins;
    }

    private String eventJson(String dispatchRef) {
        StringBuilder in = new StringBuilder();
        inputs.forEach(
                (k, v) ->
                        in.append(in.isEmpty() ? "" : ",")
                                .append('"')
                                .append(k)
                                .append("\":\"")
                                .append(v)
                                .append('"'));
        // "act": true is the flag the build job reads to verify the prebuilt zip instead of
        // compiling
        return "{\"act\": true, \"ref\": \""
                + dispatchRef
                + "\", \"inputs\": {"
                + in
                + "},"
                + " \"repository\": {\"default_branch\": \"main\", \"full_name\": \"passportxyz/passport-scorer\","
                + " \"name\": \"passport-scorer\", \"owner\": {\"login\": \"passportxyz\"}}}\n";
    }

    /**
     * act prints "[Workflow/Job name] 🏁 Job succeeded|failed" per job; the last word of the
     * bracket's path is the job.
     */
    static Map<String, String> jobResults(String output) {
        Map<String, String> jobs = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\[([^\\]]+)\\].*Job (succeeded|failed)").matcher(output);
        while (m.find()) {
            String path = m.group(1);
            jobs.put(
                    path.substring(path.lastIndexOf('/') + 1).trim(),
                    m.group(2).equals("succeeded") ? "success" : "failure");
        }
        return jobs;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
