package scorerci.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import scorerci.core.Heartbeat;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;

/**
 * Installs cargo-zigbuild and zig (both published on PyPI) into a private virtual environment in
 * the user cache, once. A venv, not `pip install --user`, because Ubuntu 24.04's Python refuses
 * user installs (PEP 668, externally managed).
 */
public final class ZigbuildInstaller {
    public static final String CARGO_ZIGBUILD = "cargo-zigbuild==0.24.1";
    public static final String ZIGLANG = "ziglang==0.15.2";

    private ZigbuildInstaller() {}

    public static Path venv(Map<String, String> env) {
        String cache = env.get("XDG_CACHE_HOME");
        Path base =
                cache != null && !cache.isBlank()
                        ? Path.of(cache)
                        : Path.of(env.getOrDefault("HOME", "/tmp"), ".cache");
        return base.resolve("scorer-pipeline").resolve("zigbuild-0.24.1-zig-0.15.2");
    }

    /** Ensures the venv exists and returns its bin directory (put it first on PATH). */
    public static Path ensure(Map<String, String> env, Log log) {
        Path venv = venv(env);
        Path bin = venv.resolve("bin");
        if (Files.isExecutable(bin.resolve("cargo-zigbuild"))
                && Files.exists(venv.resolve(".complete"))) return bin;
        if (!ExternalProcess.onPath("python3", env)) {
            throw PipelineException.prerequisite(
                    "cargo-zigbuild is needed (this host's glibc is newer than the limit) but"
                            + " python3 is missing to install it: install python3 and python3-venv, or run"
                            + " `pip install ziglang cargo-zigbuild` yourself, or pass --toolchain native --max-glibc <host glibc>");
        }
        log.progress(
                "installing "
                        + CARGO_ZIGBUILD
                        + " and "
                        + ZIGLANG
                        + " from PyPI into "
                        + venv
                        + " (once)");
        run(env, log, "python3", "-m", "venv", "--clear", venv.toString());
        run(
                env,
                log,
                bin.resolve("pip").toString(),
                "install",
                "--disable-pip-version-check",
                "-q",
                CARGO_ZIGBUILD,
                ZIGLANG);
        try {
            Files.writeString(venv.resolve(".complete"), CARGO_ZIGBUILD + " " + ZIGLANG + "\n");
        } catch (java.io.IOException e) {
            throw PipelineException.prerequisite("cannot write " + venv + ": " + e.getMessage());
        }
        return bin;
    }

    private static void run(Map<String, String> env, Log log, String... command) {
        ExternalProcess.Result result;
        try (Heartbeat heartbeat =
                Heartbeat.start(log, Path.of(command[0]).getFileName() + " " + command[1])) {
            result =
                    ExternalProcess.of(command)
                            .env(env)
                            .timeout(Duration.ofMinutes(10))
                            .onLine(
                                    line -> {
                                        log.detail(line);
                                        heartbeat.status(line.strip());
                                    })
                            .run();
        }
        if (!result.ok()) {
            throw PipelineException.prerequisite(
                    "'"
                            + String.join(" ", command)
                            + "' failed (exit "
                            + result.exitCode()
                            + "): "
                            + lastLine(result)
                            + "; install python3-venv, or `pip install ziglang cargo-zigbuild` yourself");
        }
    }

    private static String lastLine(ExternalProcess.Result result) {
        String tail = result.tail(1).trim();
        return tail.isEmpty() ? "no output" : tail;
    }
}
