package scorerci.workflows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import scorerci.testing.CommandHarness;

/**
 * Copies fixture workflows into a scratch repository's .github/workflows and runs toggle-tests
 * there.
 */
final class WorkflowFixtures {
    static final Path FIXTURES = Path.of("scripts/src/test/resources/workflows").toAbsolutePath();

    private WorkflowFixtures() {}

    static Path fixture(String name) {
        return FIXTURES.resolve(name);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts the named fixtures (as the given file names) into repo/.github/workflows; returns that
     * directory.
     */
    static Path install(Path repo, Map<String, String> targetToFixture) {
        try {
            Path dir = Files.createDirectories(repo.resolve(".github/workflows"));
            for (Map.Entry<String, String> e : targetToFixture.entrySet()) {
                Files.copy(fixture(e.getValue()), dir.resolve(e.getKey()));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path install(Path repo, String target, String text) {
        try {
            Path dir = Files.createDirectories(repo.resolve(".github/workflows"));
            Path file = dir.resolve(target);
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File name to bytes (as text) of every file in a directory, hidden temp files included. */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> all.put(p.getFileName().toString(), read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    static CommandHarness.Result toggle(Path repo, String today, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "toggle-tests";
        System.arraycopy(args, 0, full, 1, args.length);
        CommandHarness h = CommandHarness.create().workDir(repo);
        if (today != null) h.env(Today.VARIABLE, today);
        return h.run(full);
    }
}
