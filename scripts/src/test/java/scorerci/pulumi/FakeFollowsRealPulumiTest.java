package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.fakes.FakePulumi;
import scorerci.process.ExternalProcess;
import scorerci.testing.RealPulumi;

/**
 * The fake pulumi may not drift from the real one. The same scenario (a new stack, a no-change
 * rerun, an update, a replacement, a failing update, a program error; previews of a create and a
 * replacement) runs against the real CLI v3.276.0 and against fake_pulumi.py, on the same YAML test
 * program, and the event shapes must match: the sequence of events (kind, op, resource type,
 * metadata.keys/diffs, diagnostic severity, summary counts and result), the fields each kind
 * carries, and the exit code. The real run must also match the transcripts recorded from it in test
 * resources scorerci/pulumi/transcripts/v3.276.0 (a new CLI version shows up as a diff there).
 *
 * <p>Left out of the comparison: debug diagnostics (how many the language host sends is its own
 * business; deploy drops them) and the CLI's warning that it uses a plugin from $PATH (a property
 * of this test setup). To re-record after a CLI upgrade: SCORER_RECORD_PULUMI_TRANSCRIPTS=1.
 */
class FakeFollowsRealPulumiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path TRANSCRIPTS =
            Path.of("scripts/src/test/resources/scorerci/pulumi/transcripts", RealPulumi.VERSION);
    private static final String STACK = RealStack.STACK;

    @TempDir Path tmp;

    /** One step of the scenario: what to run, and a name if its output is a transcript. */
    private record Step(String transcript, List<String> args) {}

    private static final List<Step> SCENARIO =
            List.of(
                    new Step(null, List.of("stack", "select", "-c", STACK, "--non-interactive")),
                    new Step(
                            null,
                            List.of("config", "set", "aws:region", "us-west-2", "--stack", STACK)),
                    new Step(
                            "preview-create.json",
                            List.of(
                                    "preview",
                                    "--diff",
                                    "--json",
                                    "--non-interactive",
                                    "--stack",
                                    STACK)),
                    new Step("up-create.jsonl", up()),
                    new Step("up-same.jsonl", up()),
                    new Step(
                            null,
                            List.of(
                                    "config",
                                    "set",
                                    "codeSha256",
                                    "second-code-hash",
                                    "--stack",
                                    STACK)),
                    new Step("up-update.jsonl", up()),
                    new Step(
                            null,
                            List.of("config", "set", "architecture", "x86_64", "--stack", STACK)),
                    new Step(
                            "preview-replace.json",
                            List.of(
                                    "preview",
                                    "--diff",
                                    "--json",
                                    "--non-interactive",
                                    "--stack",
                                    STACK)),
                    new Step("up-replace.jsonl", up()),
                    new Step(
                            null,
                            List.of(
                                    "config",
                                    "set",
                                    "failWith",
                                    "ResourceConflictException: the function is busy",
                                    "--stack",
                                    STACK)),
                    new Step("up-fail.jsonl", up()),
                    new Step(null, List.of("config", "set", "failWith", "", "--stack", STACK)),
                    new Step("BREAK-PROGRAM", List.of()),
                    new Step("up-program-error.jsonl", up()));

    private static List<String> up() {
        return List.of(
                "up", "--yes", "--skip-preview", "--json", "--non-interactive", "--stack", STACK);
    }

    @Test
    void theFakeSendsTheRealCLIsEventShapes() throws Exception {
        RealStack real = new RealStack(tmp.resolve("real"));
        Map<String, Output> realRun = run(real.binDir.resolve("pulumi"), real.project, real.env());

        FakePulumi fake = FakePulumi.install(tmp.resolve("fake"));
        Path fakeProject = tmp.resolve("fake-infra/aws");
        RealStack.copyProgram(fakeProject.getParent());
        Map<String, String> fakeEnv = new LinkedHashMap<>(real.env());
        fakeEnv.put("PATH", fake.path(System.getenv("PATH")));
        Map<String, Output> fakeRun = run(fake.binDir().resolve("pulumi"), fakeProject, fakeEnv);

        if ("1".equals(System.getenv("SCORER_RECORD_PULUMI_TRANSCRIPTS"))) record(realRun, real);

        for (String name : realRun.keySet()) {
            Output r = realRun.get(name);
            Output f = fakeRun.get(name);
            assertThat(f.exitCode())
                    .as(name + ": exit code (real " + r.exitCode() + ")")
                    .isEqualTo(r.exitCode());
            assertThat(shape(name, f.text()))
                    .as(name + ": event sequence, fake vs real")
                    .isEqualTo(shape(name, r.text()));
            assertThat(fields(name, f.text()))
                    .as(name + ": fields per event, fake vs real")
                    .isEqualTo(fields(name, r.text()));
            Path recorded = TRANSCRIPTS.resolve(name);
            assertThat(recorded)
                    .as("transcript " + name + " (record with SCORER_RECORD_PULUMI_TRANSCRIPTS=1)")
                    .exists();
            assertThat(shape(name, r.text()))
                    .as(name + ": the real CLI vs its recorded transcript")
                    .isEqualTo(shape(name, Files.readString(recorded)));
        }
        assertThat(Files.readString(TRANSCRIPTS.resolve("VERSION")).strip())
                .startsWith("pulumi " + RealPulumi.VERSION);
    }

    private record Output(int exitCode, String text) {}

    private static Map<String, Output> run(Path pulumi, Path project, Map<String, String> env)
            throws IOException {
        Map<String, Output> transcripts = new LinkedHashMap<>();
        for (Step step : SCENARIO) {
            if ("BREAK-PROGRAM".equals(step.transcript())) {
                Path program = project.resolve("Pulumi.yaml");
                Files.writeString(
                        program,
                        Files.readString(program).replace("${codeSha256}", "${noSuchConfigValue}"));
                continue;
            }
            List<String> command = new ArrayList<>(List.of(pulumi.toString()));
            command.addAll(step.args());
            ExternalProcess process =
                    ExternalProcess.of(command).in(project).env(env).timeout(Duration.ofMinutes(5));
            for (String name : System.getenv().keySet())
                if (!env.containsKey(name)) process.unsetEnv(name);
            ExternalProcess.Result result = process.run();
            if (step.transcript() == null) {
                if (!result.ok())
                    throw new AssertionError(
                            pulumi + " " + step.args() + " failed:\n" + result.output());
                continue;
            }
            transcripts.put(step.transcript(), new Output(result.exitCode(), result.output()));
        }
        return transcripts;
    }

    /** Writes the real run's outputs, this machine's paths replaced, with the CLI's version. */
    private static void record(Map<String, Output> realRun, RealStack real) throws IOException {
        Files.createDirectories(TRANSCRIPTS);
        for (var e : realRun.entrySet()) {
            String text =
                    e.getValue()
                            .text()
                            .replace(real.binDir.toString(), "$BIN")
                            .replace(real.root.toString(), "$ROOT");
            Files.writeString(TRANSCRIPTS.resolve(e.getKey()), text);
        }
        String version = real.pulumiOrFail("version").output().strip();
        Files.writeString(
                TRANSCRIPTS.resolve("VERSION"),
                "pulumi "
                        + version
                        + ", pulumi-language-yaml "
                        + RealPulumi.YAML_HOST_VERSION
                        + ", provider pulumi-resource-scorertest 0.1.0; recorded by "
                        + "FakeFollowsRealPulumiTest with SCORER_RECORD_PULUMI_TRANSCRIPTS=1\n");
    }

    /**
     * The sequence of events that matter, one string each; a preview digest as its steps and
     * counts.
     */
    static List<String> shape(String name, String text) {
        List<String> shape = new ArrayList<>();
        if (name.startsWith("preview")) {
            JsonNode digest = readObject(text);
            for (JsonNode step : digest.path("steps")) {
                shape.add(
                        "step "
                                + step.path("op").asText()
                                + " "
                                + ResourceChange.typeOf(step.path("urn").asText())
                                + " replaceReasons="
                                + step.path("replaceReasons")
                                + " diffReasons="
                                + step.path("diffReasons"));
            }
            for (JsonNode d : digest.path("diagnostics")) {
                if (!ignored(d)) shape.add("diagnostic " + d.path("severity").asText());
            }
            shape.add(
                    "changeSummary "
                            + new TreeMap<>(
                                    JSON.convertValue(digest.path("changeSummary"), Map.class)));
            return shape;
        }
        for (JsonNode event : events(text)) {
            String kind = kind(event);
            JsonNode body = event.get(kind);
            switch (kind) {
                case "diagnosticEvent" -> {
                    if (!ignored(body))
                        shape.add(
                                kind
                                        + " "
                                        + body.path("severity").asText()
                                        + (body.has("urn") ? " @urn" : ""));
                }
                case "resourcePreEvent", "resOutputsEvent", "resOpFailedEvent" -> {
                    JsonNode m = body.path("metadata");
                    shape.add(
                            kind
                                    + " "
                                    + m.path("op").asText()
                                    + " "
                                    + m.path("type").asText()
                                    + " keys="
                                    + m.path("keys")
                                    + " diffs="
                                    + m.path("diffs"));
                }
                case "summaryEvent" ->
                        shape.add(
                                kind
                                        + " "
                                        + new TreeMap<>(
                                                JSON.convertValue(
                                                        body.path("resourceChanges"), Map.class))
                                        + " result="
                                        + body.path("result").asText()
                                        + " maybeCorrupt="
                                        + body.path("maybeCorrupt"));
                default -> shape.add(kind);
            }
        }
        return shape;
    }

    /**
     * For each kind of event (diagnostics per severity), the fields it carries, metadata's
     * included.
     */
    static Map<String, TreeSet<String>> fields(String name, String text) {
        Map<String, TreeSet<String>> fields = new TreeMap<>();
        if (name.startsWith("preview")) {
            JsonNode digest = readObject(text);
            fields.put("digest", names(digest));
            for (JsonNode step : digest.path("steps")) {
                fields.computeIfAbsent(
                                "step "
                                        + step.path("op").asText()
                                        + " "
                                        + ResourceChange.typeOf(step.path("urn").asText()),
                                k -> new TreeSet<>())
                        .addAll(names(step));
            }
            return fields;
        }
        for (JsonNode event : events(text)) {
            String kind = kind(event);
            JsonNode body = event.get(kind);
            if (kind.equals("diagnosticEvent")) {
                if (ignored(body)) continue;
                kind += " " + body.path("severity").asText();
            }
            TreeSet<String> set = fields.computeIfAbsent(kind, k -> new TreeSet<>());
            set.addAll(names(event));
            set.addAll(names(body).stream().map(n -> "." + n).toList());
            if (body.has("metadata"))
                set.addAll(
                        names(body.get("metadata")).stream().map(n -> ".metadata." + n).toList());
        }
        return fields;
    }

    private static boolean ignored(JsonNode diagnostic) {
        String severity = diagnostic.path("severity").asText();
        return severity.equals("debug")
                || diagnostic.path("message").asText().contains(" from $PATH at ");
    }

    private static List<JsonNode> events(String text) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("{")) continue;
            try {
                events.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not an engine event: " + line, e);
            }
        }
        return events;
    }

    private static JsonNode readObject(String text) {
        int start =
                text.indexOf("\n{") >= 0 && !text.startsWith("{")
                        ? text.indexOf("\n{") + 1
                        : text.indexOf('{');
        try {
            return JSON.readTree(text.substring(start));
        } catch (IOException e) {
            throw new UncheckedIOException("no preview digest in:\n" + text, e);
        }
    }

    private static String kind(JsonNode event) {
        for (var it = event.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("sequence") && !name.equals("timestamp")) return name;
        }
        return "?";
    }

    private static TreeSet<String> names(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
