package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scorerci.core.Context;

/**
 * act's artifact server appends Put Block bodies in arrival order, so uploads there go one block at
 * a time.
 */
class UploadConcurrencyUnderActTest {
    static int concurrency(Map<String, String> env) {
        PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
        return ArtifactStores.concurrency(
                new Context(
                        env,
                        Path.of("").toAbsolutePath(),
                        new BufferedReader(new StringReader("")),
                        sink,
                        sink));
    }

    @Test
    void underActBlocksGoOneAtATimeUnlessTheOfficialVariableSaysOtherwise() {
        assertThat(concurrency(Map.of()))
                .isEqualTo(ArtifactStores.DEFAULT_CONCURRENCY)
                .isGreaterThan(1);
        assertThat(concurrency(Map.of("ACT", "true"))).isEqualTo(1);
        assertThat(concurrency(Map.of("ACT", "true", "ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY", "3")))
                .isEqualTo(3);
        assertThat(concurrency(Map.of("ACT", "false")))
                .isEqualTo(ArtifactStores.DEFAULT_CONCURRENCY);
    }
}
