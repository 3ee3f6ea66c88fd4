package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;

class MainTest {
    @Test
    void unknownCommandIsAUsageErrorWithOneLine() {
        var result = CommandHarness.create().run("no-such-command");
        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(result.err()).startsWith("error: ");
    }

    @Test
    void noCommandAtAllIsAUsageError() {
        var result = CommandHarness.create().run();
        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(result.err()).contains("name a command");
    }

    @Test
    void usageNamesTheCommandAUserRuns() {
        var help = CommandHarness.create().run("build-zip", "--help");
        assertThat(help.out()).startsWith("Usage: jbang build-zip@. ");
        var bad = CommandHarness.create().run("toggle-tests", "disable", "--bogus");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(bad.err())
                .contains("usage: see 'jbang toggle-tests@. disable --help'")
                .doesNotContain("pipeline");
        assertThat(CommandHarness.create().run("no-such-command").err())
                .contains("usage: see 'jbang scripts/Pipeline.java --help'");
    }

    @Test
    void everyCommandAndSubcommandAnswersVersion() {
        var root = Main.commandLine(CommandHarness.context());
        List<List<String>> paths = new ArrayList<>();
        root.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            paths.add(List.of(name));
                            sub.getSubcommands()
                                    .keySet()
                                    .forEach(inner -> paths.add(List.of(name, inner)));
                        });
        assertThat(paths).hasSizeGreaterThan(9);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("-V");
            var r = CommandHarness.create().run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(path + " -V").isZero();
            assertThat(r.out()).as(path + " -V").startsWith("scorer pipeline ");
        }
    }

    @Test
    void mistypedOptionsAndCommandsGetASuggestion() {
        assertThat(CommandHarness.create().run("build-zip", "--tga", "x").err())
                .contains("did you mean --tag?");
        assertThat(CommandHarness.create().run("build-zip", "--toolchian=system").err())
                .contains("did you mean --toolchain?");
        assertThat(CommandHarness.create().run("toggle-tests", "disabel").err())
                .contains("did you mean disable?");
        assertThat(CommandHarness.create().run("verfy-zip").err())
                .contains("did you mean verify-zip?");
        assertThat(CommandHarness.create().run("build-zip", "--zzzzzzzz").err())
                .doesNotContain("did you mean");
    }

    @Test
    void picocliMessagesAreNotDoublePrefixed() {
        var r = CommandHarness.create().run("rollout", "review");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).startsWith("error: Missing required argument").doesNotContain("Error:");
    }

    @Test
    void editDistanceCountsSingleEdits() {
        assertThat(Main.editDistance("--tga", "--tag")).isEqualTo(2);
        assertThat(Main.editDistance("disabel", "disable")).isEqualTo(2);
        assertThat(Main.editDistance("", "abc")).isEqualTo(3);
        assertThat(Main.editDistance("same", "same")).isZero();
    }

    @Test
    void exitCodesAreDistinct() {
        assertThat(java.util.Arrays.stream(ExitCode.values()).map(c -> c.code).distinct().count())
                .isEqualTo(ExitCode.values().length);
    }
}
