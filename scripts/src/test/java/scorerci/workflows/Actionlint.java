package scorerci.workflows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import scorerci.process.ExternalProcess;

/**
 * Runs the real actionlint 1.7.12 (built by scripts/tools/actionlint.sh from the Go module proxy),
 * which checks run: scripts with Debian's shellcheck when it is on PATH (the tests require it).
 * Runs in the files' repository root so that local actions (./.github/actions/...) resolve, with
 * the repository's .github/actionlint.yaml (it accepts toggle-tests' deliberate `if: ${{ false
 * }}`).
 */
final class Actionlint {
    /** One problem per line: "file:line:col: message [kind]". */
    static final String FORMAT =
            "{{range $err := .}}{{$err.Filepath}}:{{$err.Line}}:{{$err.Column}}: {{$err.Message}} [{{$err.Kind}}]\n{{end}}";

    /**
     * The repository's actionlint configuration, used for every file linted (also copies in temp
     * repos).
     */
    static final Path CONFIG = Path.of(".github/actionlint.yaml").toAbsolutePath();

    private Actionlint() {}

    /** Problems found; empty when the files are clean. */
    static List<String> lint(Path... files) {
        if (!ExternalProcess.onPath("shellcheck", System.getenv())) {
            LintTools.missing(
                    "shellcheck is not on PATH, so actionlint would not check run: scripts; apt-get install shellcheck"
                            + " (scripts/tools/actionlint.sh does it as root)");
        }
        Path root = rootOf(files[0]);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                LintTools.actionlint().toString(),
                                "-no-color",
                                "-format",
                                FORMAT,
                                "-config-file",
                                CONFIG.toString()));
        // relative to the root, so that the config's paths: patterns (.github/workflows/**) apply
        Arrays.stream(files)
                .map(p -> root.relativize(p.toAbsolutePath()).toString())
                .forEach(command::add);
        ExternalProcess.Result r =
                ExternalProcess.of(command).in(root).timeout(Duration.ofMinutes(2)).run();
        if (r.exitCode() != 0 && r.exitCode() != 1) {
            throw new IllegalStateException(
                    "actionlint failed (exit " + r.exitCode() + "):\n" + r.output());
        }
        return r.output().lines().filter(l -> !l.isBlank()).toList();
    }

    /** The directory holding .github (actionlint's project root), else the file's own directory. */
    private static Path rootOf(Path file) {
        for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals(".github"))
                return p.getParent();
        }
        return file.toAbsolutePath().getParent();
    }
}
