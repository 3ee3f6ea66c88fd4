package scorerci.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import scorerci.core.PipelineException;

/**
 * Runs an external program (cargo, pulumi, npm, apt-get, qemu) with stderr merged into stdout, each
 * line handed to a consumer as it arrives and also kept for the result. A program that is not on
 * PATH is a PipelineException(PREREQUISITE) naming it.
 */
public final class ExternalProcess {
    private final List<String> command;
    private Path directory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> removedEnvironment = new ArrayList<>();
    private Duration timeout = Duration.ofHours(1);
    private Consumer<String> lines = line -> {};
    private String stdin;

    private ExternalProcess(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static ExternalProcess of(String... command) {
        return new ExternalProcess(List.of(command));
    }

    public static ExternalProcess of(List<String> command) {
        return new ExternalProcess(command);
    }

    public ExternalProcess in(Path directory) {
        this.directory = directory;
        return this;
    }

    public ExternalProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ExternalProcess env(Map<String, String> values) {
        environment.putAll(values);
        return this;
    }

    public ExternalProcess unsetEnv(String name) {
        removedEnvironment.add(name);
        return this;
    }

    public ExternalProcess timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public ExternalProcess onLine(Consumer<String> consumer) {
        this.lines = consumer;
        return this;
    }

    public ExternalProcess stdin(String text) {
        this.stdin = text;
        return this;
    }

    public Result run() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) builder.directory(directory.toFile());
        removedEnvironment.forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
        if (stdin == null)
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot run '"
                            + command.get(0)
                            + "': "
                            + e.getMessage()
                            + "; install it or put it on PATH");
        }
        StringBuilder output = new StringBuilder();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    synchronized (output) {
                                        output.append(line).append('\n');
                                    }
                                    lines.accept(line);
                                }
                            } catch (IOException ignored) {
                                // the process closed its output; the exit code tells the rest
                            }
                        },
                        "output-of-" + command.get(0));
        reader.setDaemon(true);
        reader.start();
        try {
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the program did not read its input; not our failure
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw PipelineException.toolFailed(
                        "'"
                                + String.join(" ", command)
                                + "' did not finish within "
                                + timeout.toSeconds()
                                + " s and was stopped");
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw PipelineException.aborted("interrupted while running " + command.get(0));
        }
        synchronized (output) {
            return new Result(process.exitValue(), output.toString());
        }
    }

    /** True if an executable with this name is on PATH (or the path itself is executable). */
    public static boolean onPath(String program, Map<String, String> env) {
        return locate(program, env) != null;
    }

    public static Path locate(String program, Map<String, String> env) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? p : null;
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The last n lines of output, for error messages. */
        public String tail(int n) {
            String[] all = output.split("\n");
            int from = Math.max(0, all.length - n);
            return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
        }
    }
}
