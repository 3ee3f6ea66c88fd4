package scorerci.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.process.ExternalProcess;

/**
 * The fake pulumi behaves like the real CLI where deploy depends on it: state, formats, refusals.
 */
class FakePulumiTest {
    static final String STACK = "passportxyz/passport-scorer/staging";
    @TempDir Path tmp;
    FakePulumi fake;
    Path project;
    Path zip;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakePulumi.install(tmp.resolve("fake"));
        project = Files.createDirectories(tmp.resolve("infra/aws"));
        Files.writeString(
                project.resolve("Pulumi.yaml"), "name: passport-scorer\nruntime: nodejs\n");
        zip = Files.createDirectories(tmp.resolve("rust-scorer-artifact")).resolve("bootstrap.zip");
        Files.writeString(zip, "zip v1");
    }

    ExternalProcess.Result pulumi(String... args) {
        List<String> command = new ArrayList<>(List.of(fake.binDir().resolve("pulumi").toString()));
        command.addAll(List.of(args));
        return ExternalProcess.of(command).in(project).env("PULUMI_ACCESS_TOKEN", "pul-test").run();
    }

    @Test
    void refusesLikeTheRealCli() throws Exception {
        var select = pulumi("stack", "select", STACK, "--non-interactive");
        assertThat(select.exitCode()).isEqualTo(1);
        assertThat(select.output()).contains("error: no stack named '" + STACK + "' found");

        var wrongProject = pulumi("stack", "select", "-c", "passportxyz/other/staging");
        assertThat(wrongProject.output())
                .contains("provided project name \"other\" doesn't match Pulumi.yaml");

        assertThat(pulumi("stack", "select", "-c", STACK).output())
                .isEqualTo("Created stack 'staging'\n");
        var previewWithoutRegion = pulumi("preview", "--json", "--stack", STACK);
        assertThat(previewWithoutRegion.exitCode()).isEqualTo(1);
        assertThat(
                        new ObjectMapper()
                                .readTree(previewWithoutRegion.output())
                                .at("/diagnostics/0/message")
                                .asText())
                .contains("Missing required configuration variable 'aws:region'");

        assertThat(pulumi("config", "set", "aws:region", "us-west-2", "-s", STACK).ok()).isTrue();
        var up = pulumi("up", "--stack", STACK, "--non-interactive");
        assertThat(up.output())
                .contains(
                        "error: --yes or --skip-preview must be passed in to proceed when running in "
                                + "non-interactive mode");

        var noToken =
                ExternalProcess.of(fake.binDir().resolve("pulumi").toString(), "whoami")
                        .in(project)
                        .run();
        assertThat(noToken.output())
                .contains(
                        "PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
        Files.delete(project.resolve("Pulumi.yaml"));
        assertThat(pulumi("preview").output()).contains("error: no Pulumi.yaml project file found");
    }

    @Test
    void keepsStateAcrossCallsAndAnswersInTheRealFormats() throws Exception {
        pulumi("stack", "select", "-c", STACK);
        pulumi("config", "set", "aws:region", "us-west-2", "-s", STACK);
        assertThat(Files.readString(project.resolve("Pulumi.staging.yaml")))
                .isEqualTo("config:\n  aws:region: us-west-2\n");

        JsonNode first =
                new ObjectMapper()
                        .readTree(pulumi("preview", "--diff", "--json", "--stack", STACK).output());
        assertThat(first.get("changeSummary").toString()).isEqualTo("{\"create\":12}");
        assertThat(first.get("duration").isIntegralNumber()).isTrue();

        var up = pulumi("up", "--yes", "--skip-preview", "--json", "--stack", STACK);
        assertThat(up.ok()).isTrue();
        List<String> events = up.output().lines().toList();
        assertThat(events.get(0)).contains("\"preludeEvent\"");
        // like the real CLI: the summary, then the closing cancelEvent (also after a success)
        assertThat(events.get(events.size() - 2))
                .contains("\"summaryEvent\"")
                .contains("\"resourceChanges\": {\"create\": 12}");
        assertThat(events.get(events.size() - 1)).contains("\"cancelEvent\": {}");

        JsonNode outputs =
                new ObjectMapper()
                        .readTree(pulumi("stack", "output", "--json", "--stack", STACK).output());
        assertThat(outputs.get("rustScorerFunctionName").asText())
                .isEqualTo("passport-v2-rust-scorer");
        assertThat(outputs.get("rustScorerPublishedVersion").asText()).isEqualTo("1");

        var text = pulumi("preview", "--diff", "--stack", STACK);
        assertThat(text.output())
                .contains("Previewing update (" + STACK + ")")
                .contains("Resources:\n    12 unchanged");

        Files.writeString(zip, "zip v2");
        JsonNode second =
                new ObjectMapper().readTree(pulumi("preview", "--json", "--stack", STACK).output());
        assertThat(second.get("changeSummary").toString()).isEqualTo("{\"same\":10,\"update\":2}");
        assertThat(pulumi("up", "-y", "--stack", STACK).output()).contains("~ 2 updated");
        assertThat(fake.outputs(STACK)).containsEntry("rustScorerPublishedVersion", "2");

        assertThat(fake.commands()).hasSize(8);
        assertThat(fake.invocations())
                .allSatisfy(
                        i -> {
                            assertThat(i.cwd()).isEqualTo(project);
                            assertThat(i.secrets()).containsEntry("PULUMI_ACCESS_TOKEN", "[set]");
                        });
        assertThat(fake.rawLog()).doesNotContain("pul-test");
    }
}
