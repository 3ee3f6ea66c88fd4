package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.workflows.WorkflowFixtures.install;
import static scorerci.workflows.WorkflowFixtures.read;
import static scorerci.workflows.WorkflowFixtures.toggle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness.Result;

/**
 * toggle-tests against hostile input (issue 10): a --reason with a line separator YAML 1.1 treats
 * as a line break (it injected a key into the workflow), C0/C1 controls, and a workflow that is a
 * symbolic link (it was replaced by a regular file, cut loose from its target).
 */
class ToggleHostileInputsTest {
    @TempDir Path repo;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "flaky\u2028concurrency: x",
                "flaky\u0085concurrency: x",
                "flaky\u2029x",
                "a\u001b[31mred",
                "a\u009bb",
                "tab\there"
            })
    void aReasonWithControlsOrLineSeparatorsIsRefusedAndNothingIsWritten(String reason) {
        Path dir = install(repo, Map.of("w.yml", "enabled.yml"));
        String before = read(dir.resolve("w.yml"));
        Result r = toggle(repo, "2025-01-10", "disable", "--reason", reason);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("control character or line separator");
        assertThat(r.err()).doesNotContain("\u2028", "\u0085", "\u001b", "\u009b", "\u2029");
        assertThat(read(dir.resolve("w.yml"))).isEqualTo(before);
    }

    @Test
    void aSymlinkedWorkflowIsRefusedNotReplaced() throws Exception {
        Path dir = install(repo, Map.of("real.yml.txt", "enabled.yml"));
        Path link = Files.createSymbolicLink(dir.resolve("w.yml"), Path.of("real.yml.txt"));
        Result r = toggle(repo, "2025-01-10", "disable", "--reason", "flaky");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("is a symbolic link");
        assertThat(Files.isSymbolicLink(link)).as("still a link").isTrue();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("w.yml", "real.yml.txt");
        }
    }

    @Test
    void aTemporaryFileLeftByAKilledRunIsRemovedByTheNextWrite() throws Exception {
        Path dir = install(repo, Map.of("w.yml", "enabled.yml"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path leftover =
                Files.writeString(
                        dir.resolve(".w.yml.scorer-tmp-" + gone.pid() + "-12345.tmp"),
                        "half a workf");
        Result r = toggle(repo, "2025-01-10", "disable", "--reason", "flaky");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(leftover).as("swept: its process is gone").doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("w.yml");
        }
    }
}
