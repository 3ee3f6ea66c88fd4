package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import scorerci.core.Context;

/**
 * A confirmation is read only from a terminal: in a real child process whose stdin is an open pipe
 * nobody writes to (a CI step, `cmd | deploy`), the answer reads as "none" at once instead of
 * blocking for good (issue 10: deploy without --yes waited forever).
 */
class PromptStdinTest {
    /** Reads one answer line the way deploy's confirmation does, and prints it. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            System.out.println("answer=" + Context.fromProcess().stdin().readLine());
        }
    }

    @Test
    void anOpenPipeOnStdinIsNotWaitedFor() throws Exception {
        Process p =
                new ProcessBuilder(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString(),
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        Probe.class.getName()))
                        .redirectErrorStream(true)
                        .start(); // stdin: a pipe this test holds open and never writes
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as("the probe returned without an answer")
                    .isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("answer=null");
        } finally {
            p.destroyForcibly();
            p.getOutputStream().close();
        }
    }
}
