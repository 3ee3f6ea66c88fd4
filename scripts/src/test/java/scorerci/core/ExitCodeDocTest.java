package scorerci.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's "Exit codes" table is the user's copy of ExitCode: keep the two in step. */
class ExitCodeDocTest {
    @Test
    void readmeTableListsEveryExitCodeWithItsMeaning() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (ExitCode code : ExitCode.values()) {
            String row =
                    "| "
                            + code.code
                            + " | "
                            + code.name()
                            + " | "
                            + code.meaning
                                    .replace("--verbose", "`--verbose`")
                                    .replace("--if-exists fail", "`--if-exists fail`")
                            + " |";
            assertThat(readme).as("README row for " + code).contains(row);
        }
    }
}
