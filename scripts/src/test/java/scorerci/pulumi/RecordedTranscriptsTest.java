package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parsers on what the real CLI v3.276.0 sent (transcripts recorded by
 * FakeFollowsRealPulumiTest): the eight defects of issue 9 as they show up in real streams. Needs
 * no CLI.
 */
class RecordedTranscriptsTest {
    private static final Path DIR = FakeFollowsRealPulumiTest.TRANSCRIPTS;

    private record Read(UpdateEvents events, List<String> shown, List<String> debug) {}

    private static Read read(String name) throws Exception {
        List<String> debug = new ArrayList<>();
        UpdateEvents events = new UpdateEvents(debug::add);
        List<String> shown = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve(name))) {
            String readable = events.accept(line);
            if (readable != null) shown.add(readable);
        }
        return new Read(events, shown, debug);
    }

    @Test
    void everyStreamEndsWithACancelEventThatIsNotACancellation() throws Exception {
        for (String name :
                List.of(
                        "up-create.jsonl",
                        "up-same.jsonl",
                        "up-update.jsonl",
                        "up-replace.jsonl",
                        "up-fail.jsonl",
                        "up-program-error.jsonl")) {
            assertThat(Files.readAllLines(DIR.resolve(name)))
                    .last()
                    .asString()
                    .contains("\"cancelEvent\":{}");
            Read read = read(name);
            assertThat(read.events().ended()).as(name).isTrue();
            assertThat(read.shown()).as(name).noneMatch(l -> l.toLowerCase().contains("cancel"));
        }
    }

    @Test
    void debugDiagnosticsGoOnlyToTheDebugSink() throws Exception {
        Read read = read("up-create.jsonl");
        assertThat(read.debug()).isNotEmpty().allMatch(l -> l.startsWith("debug: "));
        assertThat(read.shown()).noneMatch(l -> l.contains("Registering") || l.startsWith("debug"));
    }

    @Test
    void theResourcesErrorIsTheCauseNotTheGenericUpdateFailed() throws Exception {
        Read read = read("up-fail.jsonl");
        assertThat(read.events().errors()).hasSize(2).last().isEqualTo("update failed");
        assertThat(read.events().cause())
                .isEqualTo(
                        "scorertest:index:Function rustScorer: updating function "
                                + "passport-v2-rust-scorer: ResourceConflictException: the function is busy");
        assertThat(read.shown())
                .noneMatch(l -> l.contains("error: error:") || l.contains("warning: warning:"));
        assertThat(read.shown())
                .contains("  ✗ update failed: scorertest:index:Function rustScorer");
    }

    @Test
    void aReplacementIsOneRowWithTheKeyThatForcesIt() throws Exception {
        Read read = read("up-replace.jsonl");
        assertThat(read.events().applied())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.op()).isEqualTo("replace");
                            assertThat(c.reasons()).containsExactly("architecture");
                        });
        assertThat(read.events().summary().replaces()).isEqualTo(1);
        assertThat(read.shown())
                .filteredOn(l -> l.contains("rustScorer"))
                .containsExactly(
                        "  +- replacing scorertest:index:Function rustScorer (architecture)",
                        "  +- replaced scorertest:index:Function rustScorer");
        assertThat(DeployReport.resourcesTable(read.events().applied()))
                .contains(
                        "| +- replace | `scorertest:index:Function` | `rustScorer` | architecture |");
        PreviewDigest preview =
                PreviewDigest.parse(Files.readString(DIR.resolve("preview-replace.json")));
        assertThat(preview.changes())
                .singleElement()
                .satisfies(c -> assertThat(c.reasons()).containsExactly("architecture"));
    }

    @Test
    void aYamlProgramErrorArrivesAsTheHostsStderrAndBecomesTheCause() throws Exception {
        Read read = read("up-program-error.jsonl");
        assertThat(read.events().errors()).isEmpty();
        assertThat(read.events().cause())
                .startsWith(
                        "Error: resource, variable, or config value \"noSuchConfigValue\" "
                                + "not found on Pulumi.yaml line")
                .doesNotContain("\n");
    }

    @Test
    void aRepeatedPluginWarningIsShownOnceWithOnePrefix() throws Exception {
        Read read = read("up-create.jsonl");
        assertThat(read.shown())
                .filteredOn(l -> l.contains("from $PATH"))
                .singleElement()
                .asString()
                .startsWith("warning: using pulumi-resource-scorertest");
    }
}
