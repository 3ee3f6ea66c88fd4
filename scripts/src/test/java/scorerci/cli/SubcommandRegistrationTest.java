package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;

/**
 * A run builds only the command it names (start-up), while the root's help and lookups still see
 * every command.
 */
class SubcommandRegistrationTest {
    @Test
    void aRunNamingACommandRegistersOnlyThatOneAnyOtherRegistersAll() {
        Set<String> all = Main.commandLine(CommandHarness.context()).getSubcommands().keySet();
        assertThat(all)
                .hasSize(RootCommand.SUBCOMMANDS.size())
                .contains("build-zip", "verify-zip", "upload-artifact", "deploy");
        for (String name : all) {
            assertThat(
                            Main.commandLineFor(
                                            name,
                                            CommandHarness.context(),
                                            picocli.CommandLine.defaultFactory())
                                    .getSubcommands()
                                    .keySet())
                    .as(name)
                    .containsExactly(name);
            assertThat(Main.hasCommand(name)).as(name).isTrue();
        }
        assertThat(
                        Main.commandLineFor(
                                        "--help",
                                        CommandHarness.context(),
                                        picocli.CommandLine.defaultFactory())
                                .getSubcommands()
                                .keySet())
                .isEqualTo(all);
        assertThat(
                        Main.commandLineFor(
                                        "no-such-command",
                                        CommandHarness.context(),
                                        picocli.CommandLine.defaultFactory())
                                .getSubcommands()
                                .keySet())
                .isEqualTo(all);
        assertThat(Main.hasCommand("no-such-command")).isFalse();
    }

    @Test
    void helpOfTheRootListsEveryCommandAndACommandsHelpIsItsOwn() {
        CommandHarness.Result root = CommandHarness.create().run("--help");
        assertThat(root.exitCode()).as(root.toString()).isZero();
        for (String name : Main.commandLine(CommandHarness.context()).getSubcommands().keySet())
            assertThat(root.out()).contains(name);
        CommandHarness.Result one = CommandHarness.create().run("verify-zip", "--help");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).contains("Usage: jbang verify-zip@.");
        CommandHarness.Result unknown = CommandHarness.create().run("no-such-command");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE.code);
        assertThat(unknown.err()).contains("no-such-command");
    }
}
