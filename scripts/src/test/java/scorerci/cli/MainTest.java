package scorerci.cli;

import scorerci.core.ExitCode;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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
    void exitCodesAreDistinct() {
        assertThat(java.util.Arrays.stream(ExitCode.values()).map(c -> c.code).distinct().count())
                .isEqualTo(ExitCode.values().length);
    }
}
