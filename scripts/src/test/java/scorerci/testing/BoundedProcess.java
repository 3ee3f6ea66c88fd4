package scorerci.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running child process for tests (a Lambda runtime under test, a server): started with a
 * cleared environment plus the given variables, wrapped in coreutils {@code timeout} so it dies
 * even if the JVM is killed, its stdout+stderr in a log file, and stopped (with its descendants) by
 * {@link #close()}.
 */
public final class BoundedProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final List<String> command;

    private BoundedProcess(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    /**
     * @param env the whole environment of the child (PATH is copied from this JVM if absent)
     * @param limit hard wall-clock limit enforced by {@code timeout --kill-after=5}
     */
    public static BoundedProcess start(
            List<String> command, Map<String, String> env, Path directory, Path log, Duration limit)
            throws IOException {
        List<String> wrapped =
                new ArrayList<>(List.of("timeout", "--kill-after=5", limit.toSeconds() + "s"));
        wrapped.addAll(command);
        ProcessBuilder builder =
                new ProcessBuilder(wrapped)
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        return new BoundedProcess(builder.start(), log, List.copyOf(command));
    }

    /** The program itself (the child of the {@code timeout} wrapper), once it has been exec'd. */
    public java.util.Optional<ProcessHandle> program() {
        return process.children().findFirst();
    }

    /**
     * Number of OS threads of {@link #program()} (Linux {@code /proc/PID/task}), or -1 if unknown.
     */
    public int programThreads() {
        return program()
                .map(
                        p -> {
                            try (var tasks =
                                    Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                                return (int) tasks.count();
                            } catch (IOException e) {
                                return -1;
                            }
                        })
                .orElse(-1);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far (for assertions and failure messages). */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + log + ": " + e.getMessage() + ">";
        }
    }

    /** A one-paragraph description for assertion messages. */
    public String describe() {
        return String.join(" ", command)
                + (process.isAlive() ? " (running)" : " (exited " + process.exitValue() + ")")
                + ", output:\n"
                + output();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
