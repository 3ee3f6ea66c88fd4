package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.process.ExternalProcess;

/**
 * zizmor 1.33 (PyPI, offline) audits .github/: no finding above "low", and each low one that stays
 * is listed here with the reason it stays (README "GitHub Actions" repeats them).
 */
class ZizmorTest {
    /** Every low finding the workflows are allowed to keep, and why. */
    static final Map<String, String> ACCEPTED_LOW =
            Map.of(
                    "self-repository",
                    "zizmor suggests `uses: $/.github/...` for local reusable workflows and actions, but actionlint"
                            + " 1.7.12 rejects that form, and ./ is what GitHub documents; both resolve to this repository at this commit");

    @TempDir Path tmp;

    @Test
    void theWorkflowsHaveNoFindingAboveLowAndEveryLowOneIsAccepted() throws IOException {
        List<JsonNode> findings = audit(Path.of(".github"));
        assertThat(findings).as("zizmor looked at the workflows").isNotEmpty();
        for (JsonNode f : findings) {
            String where = f.get("ident").asText() + " at " + location(f);
            assertThat(f.at("/determinations/severity").asText())
                    .as(where)
                    .isIn("Informational", "Low");
            assertThat(ACCEPTED_LOW)
                    .as(where + ": a low finding must be accepted with a reason")
                    .containsKey(f.get("ident").asText());
        }
    }

    @Test
    void zizmorReallyAudits() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(".github/workflows"));
        Files.writeString(
                dir.resolve("bad.yml"),
                """
                on: pull_request_target
                permissions: write-all
                jobs:
                  a:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                        with:
                          ref: ${{ github.event.pull_request.head.sha }}
                      - run: echo "${{ github.event.pull_request.title }}"
                """);
        List<JsonNode> findings = audit(tmp.resolve(".github"));
        assertThat(findings)
                .extracting(f -> f.get("ident").asText())
                .contains("template-injection", "dangerous-triggers", "unpinned-uses");
        assertThat(findings)
                .anySatisfy(
                        f ->
                                assertThat(f.at("/determinations/severity").asText())
                                        .isEqualTo("High"));
    }

    private static List<JsonNode> audit(Path dir) throws IOException {
        ExternalProcess.Result r =
                ExternalProcess.of(
                                LintTools.zizmor().toString(),
                                "--offline",
                                "--quiet",
                                "--no-progress",
                                "--format",
                                "json",
                                dir.toAbsolutePath().toString())
                        .in(dir.toAbsolutePath().getParent())
                        .timeout(Duration.ofMinutes(2))
                        .run();
        String out = r.output();
        int start =
                out.startsWith("[") ? 0 : out.indexOf("\n[") + 1; // the JSON array starts a line
        if (start <= 0 && !out.startsWith("["))
            throw new IllegalStateException(
                    "zizmor printed no JSON (exit " + r.exitCode() + "):\n" + out);
        List<JsonNode> findings = new ArrayList<>();
        new ObjectMapper().readTree(out.substring(start)).forEach(findings::add);
        return findings;
    }

    private static String location(JsonNode finding) {
        for (JsonNode l : finding.get("locations")) {
            JsonNode path = l.at("/symbolic/key/Local/verbatim_path");
            if (!path.isMissingNode())
                return path.asText()
                        + ":"
                        + (l.at("/concrete/location/start_point/row").asInt() + 1);
        }
        return "?";
    }
}
