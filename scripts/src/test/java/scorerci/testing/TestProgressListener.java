package scorerci.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Appends a line to the file named by the system property {@code scorer.testProgress} when a test
 * starts, and when a test that took {@value #SLOW_SECONDS} s or more ends. scripts/run-tests.sh
 * prints those lines live and names the running test in its heartbeat: Surefire keeps the tests'
 * own output in files, so without this a long end-to-end test looks like a hang. Registered through
 * META-INF/services; does nothing when the property is not set (an IDE run, a plain mvn test).
 */
public final class TestProgressListener implements TestExecutionListener {
    static final String PROPERTY = "scorer.testProgress";
    static final int SLOW_SECONDS = 10;

    private final Path file;
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    public TestProgressListener() {
        this(System.getProperty(PROPERTY));
    }

    TestProgressListener(String file) {
        this.file = file == null || file.isBlank() ? null : Path.of(file);
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        if (file == null || !test.isTest()) return;
        started.put(test.getUniqueId(), System.nanoTime());
        append("  ▶ " + name(test));
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        Long start = file == null ? null : started.remove(test.getUniqueId());
        if (start == null) return;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.toSeconds() >= SLOW_SECONDS
                || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            append(
                    "  "
                            + (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL
                                    ? "✓"
                                    : "✗ " + result.getStatus())
                            + " "
                            + name(test)
                            + " ("
                            + took.toSeconds()
                            + " s)");
        }
    }

    /** "ClassName › displayName": the class is what Surefire's report and -Dtest name. */
    static String name(TestIdentifier test) {
        String owner =
                test.getSource()
                        .filter(MethodSource.class::isInstance)
                        .map(s -> ((MethodSource) s).getClassName())
                        .map(c -> c.substring(c.lastIndexOf('.') + 1))
                        .orElse("");
        return owner.isEmpty() ? test.getDisplayName() : owner + " › " + test.getDisplayName();
    }

    private synchronized void append(String line) {
        try {
            Files.writeString(
                    file,
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test progress to " + file, e);
        }
    }
}
