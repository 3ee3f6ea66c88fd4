package scorerci.packaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import scorerci.core.Heartbeat;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;

/**
 * Installs the Debian packages of the system route (toolchain.md §2) on a fresh machine. Only as
 * root; otherwise the caller prints {@link #commands} for the user.
 */
public final class Provisioner {
    /** Runs one command line, streaming its output; returns the result. Replaced in tests. */
    public interface Runner {
        ExternalProcess.Result run(List<String> command, Consumer<String> lines);
    }

    private final Runner runner;
    private final Log log;

    public Provisioner(Runner runner, Log log) {
        this.runner = runner;
        this.log = log;
    }

    public static Runner realRunner(Map<String, String> env) {
        return (command, lines) ->
                ExternalProcess.of(command)
                        .env(env)
                        .env("DEBIAN_FRONTEND", "noninteractive")
                        .timeout(Duration.ofMinutes(20))
                        .onLine(lines)
                        .run();
    }

    /** The exact commands, in order, as a root user would type them. */
    public static List<String> commands(List<String> packages) {
        List<String> lines = new ArrayList<>();
        for (List<String> command : plan(packages)) lines.add(String.join(" ", command));
        return lines;
    }

    static List<List<String>> plan(List<String> packages) {
        List<List<String>> plan = new ArrayList<>();
        if (packages.stream().anyMatch(p -> p.endsWith(":arm64")))
            plan.add(List.of("dpkg", "--add-architecture", "arm64"));
        plan.add(List.of("apt-get", "update"));
        List<String> install =
                new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        install.addAll(packages);
        plan.add(install);
        return plan;
    }

    /**
     * Runs the plan with one progress line per step and a heartbeat after 15 s of silence; a
     * failing step is PREREQUISITE with its tail.
     */
    public void install(List<String> packages, boolean showOutput) {
        List<List<String>> plan = plan(packages);
        log.progress(
                "provisioning the aarch64 cross toolchain (" + String.join(" ", packages) + ")");
        for (int i = 0; i < plan.size(); i++) {
            String line = String.join(" ", plan.get(i));
            log.progress("[" + (i + 1) + "/" + plan.size() + "] " + line);
            ExternalProcess.Result result;
            // apt is quiet here for minutes: a heartbeat names the package it is at
            try (Heartbeat heartbeat =
                    Heartbeat.start(log, plan.get(i).get(0) + " " + plan.get(i).get(1))) {
                result =
                        runner.run(
                                plan.get(i),
                                out -> {
                                    heartbeat.status(out.strip());
                                    if (showOutput) {
                                        log.progress("  " + out);
                                        heartbeat.printed();
                                    }
                                });
            }
            if (!result.ok()) {
                if (!showOutput) log.progress(result.tail(20));
                throw PipelineException.prerequisite(
                        "'"
                                + line
                                + "' failed (exit "
                                + result.exitCode()
                                + "): fix the"
                                + " package sources (Debian 12 with bookworm-security, arm64 foreign architecture) and run it again");
            }
        }
        log.progress("provisioned: " + String.join(" ", packages));
    }
}
