package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import scorerci.artifacts.ArtifactName;
import scorerci.cli.Main;
import scorerci.testing.CommandHarness;

/**
 * The workflows and the scripts must agree: every `./jbang <alias>@. ...` names a catalog alias
 * whose command accepts those options; artifact names, paths and step outputs are the ones the
 * commands produce; and the pipeline practices (pins, permissions, concurrency, no expressions in
 * scripts, secrets only through env) hold in every file.
 */
class WorkflowContractTest {
    static final Path DIR = Path.of(".github/workflows");
    static final Path ACTIONS = Path.of(".github/actions");
    static final Pattern JBANG =
            Pattern.compile(
                    "\\./jbang\\s+([A-Za-z0-9_-]+)@\\.((?:[ \\t]+(?:\"[^\"]*\"|'[^']*'|[^\\s;&|]+))*)");
    static final Pattern PINNED =
            Pattern.compile(
                    "^\\s*(?:- )?uses: ([\\w.-]+/[\\w.-]+)@([0-9a-f]{40}) # (v\\d+\\.\\d+\\.\\d+)\\s*$");

    /**
     * Every action SHA used, with the release it was seen paired with in public workflows (looked
     * up, not guessed): a new pin must be added here deliberately.
     */
    static final Map<String, String> VERIFIED_PINS =
            Map.of(
                    "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2",
                    "actions/setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00", "v4.7.1",
                    "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020", "v4.4.0",
                    "actions/cache@5a3ec84eff668545956fd18022155c47e93e2684", "v4.2.3",
                    "actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea", "v7.0.1",
                    "aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df",
                            "v4.2.1",
                    "actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be",
                            "v2.4.0");

    /**
     * The one action allowed to receive secrets through with: (it turns them into masked AWS
     * credentials).
     */
    static final String AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials@";

    /** Variables the runner sets for every step (not from the workflow, so not in its env:). */
    static final Set<String> RUNNER_VARIABLES = Set.of("RUNNER_TEMP", "GITHUB_WORKSPACE");

    /** Sample values for the shell variables the run: steps pass on. */
    static final Map<String, String> SAMPLE =
            Map.of("DOCKER_TAG", "abc1234", "DEPLOY_ENV", "review");

    static Map<String, WorkflowFile> workflows = new LinkedHashMap<>();

    /** Local composite actions' lines, keyed by their uses: path (./.github/actions/NAME). */
    static Map<String, List<WorkflowText.Line>> actions = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path p : s.sorted().toList())
                workflows.put(p.getFileName().toString(), WorkflowFile.read(p, p.toString()));
        }
        if (Files.isDirectory(ACTIONS)) {
            try (Stream<Path> s = Files.list(ACTIONS)) {
                for (Path p : s.sorted().toList()) {
                    Path yml = p.resolve("action.yml");
                    actions.put(
                            "./" + ACTIONS.resolve(p.getFileName()),
                            WorkflowText.split(Files.readString(yml)));
                }
            }
        }
    }

    @Test
    void everyJbangCallNamesACatalogAliasWhoseCommandAcceptsTheOptions() throws IOException {
        JsonNode aliases =
                new ObjectMapper().readTree(Path.of("jbang-catalog.json").toFile()).get("aliases");
        CommandLine root = Main.commandLine(CommandHarness.context());
        Set<String> called = new TreeSet<>();
        for (Step step : steps()) {
            Matcher m = JBANG.matcher(step.run());
            while (m.find()) {
                String alias = m.group(1);
                called.add(alias);
                assertThat(aliases.has(alias))
                        .as(step + ": alias " + alias + " in jbang-catalog.json")
                        .isTrue();
                List<String> args = new ArrayList<>();
                aliases.get(alias).get("arguments").forEach(a -> args.add(a.asText()));
                for (String word : words(m.group(2))) args.add(expand(word, step));
                assertThat(root.getSubcommands())
                        .as(step + ": command " + args.get(0) + " is registered")
                        .containsKey(args.get(0));
                try {
                    Main.commandLine(CommandHarness.context())
                            .parseArgs(args.toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    throw new AssertionError(
                            step
                                    + ": '"
                                    + String.join(" ", args)
                                    + "' is rejected: "
                                    + e.getMessage());
                }
            }
        }
        assertThat(called)
                .contains(
                        "build-zip",
                        "upload-artifact",
                        "download-artifact",
                        "deploy",
                        "toggle-tests");
    }

    @Test
    void artifactNameTagAndPathsMatchWhatTheCommandsProduce() {
        assertThat(ArtifactName.defaultFor("abc1234")).isEqualTo("rust-scorer-abc1234.zip");
        CommandLine root = Main.commandLine(CommandHarness.context());
        String uploadFile = option(root, "upload-artifact", "--file").defaultValue();
        assertThat(uploadFile).isEqualTo("scorer/target/lambda/rust-scorer/bootstrap.zip");
        String deployArtifact = option(root, "deploy", "--artifact").defaultValue();

        Map<String, Object> generic = jobs("build_and_deploy_generic.yml");
        for (Step step : steps()) {
            if (!step.file().equals("build_and_deploy_generic.yml")
                    || !step.run().contains("./jbang")) continue;
            if (step.run().contains("upload-artifact@.")
                    && step.run().contains("--name \"pulumi-plan-")) {
                // the saved Pulumi plan is named after the environment and the caller's docker_tag
                assertThat(step.run())
                        .as(step.toString())
                        .contains("--name \"pulumi-plan-$DEPLOY_ENV-$DOCKER_TAG\"");
                assertThat(step.env().get("DOCKER_TAG"))
                        .as(step.toString())
                        .isEqualTo("${{ inputs.docker_tag }}");
            } else if (step.run().contains("upload-artifact@.")
                    || step.run().contains("build-zip@.")) {
                // the build names the artifact after the caller's docker_tag
                assertThat(step.run()).as(step.toString()).contains("--tag \"$DOCKER_TAG\"");
                assertThat(step.env().get("DOCKER_TAG"))
                        .as(step.toString())
                        .isEqualTo("${{ inputs.docker_tag }}");
            }
            if (step.run().contains("download-artifact@.") && !step.run().contains("--no-verify")) {
                // the zip's name arrives as the build job's output, or (build skipped) as the
                // caller's input
                assertThat(step.run()).as(step.toString()).contains("--name \"$ARTIFACT_NAME\"");
                assertThat(step.env().get("ARTIFACT_NAME"))
                        .as(step.toString())
                        .isEqualTo(
                                "${{ needs.build-rust-scorer.result == 'success' && needs.build-rust-scorer.outputs.artifact-name"
                                        + " || inputs.artifact_name }}");
            }
            boolean plan = step.run().contains("\"pulumi-plan-$DEPLOY_ENV-$DOCKER_TAG\"");
            if (plan) {
                // the approved Pulumi plan: overwritten by a rerun of the preview (the approval is
                // for the newest),
                // downloaded without the Lambda-zip checks, applied by its digest from the preview
                // job's output
                assertThat(step.run()).containsAnyOf("--if-exists overwrite", "--no-verify");
                assertThat(step.env()).containsKeys("ACTIONS_RUNTIME_TOKEN", "ACTIONS_RESULTS_URL");
                continue;
            }
            if (step.run().contains("download-artifact@.")) {
                Matcher dest = Pattern.compile("--dest (\\S+)").matcher(step.run());
                assertThat(dest.find()).as(step + " names --dest").isTrue();
                assertThat(dest.group(1) + "/bootstrap.zip")
                        .as("download lands where deploy reads")
                        .isEqualTo(deployArtifact);
                assertThat(step.env()).containsKeys("ACTIONS_RUNTIME_TOKEN", "ACTIONS_RESULTS_URL");
            }
            if (step.run().contains("upload-artifact@.")) {
                assertThat(step.run()).contains("--if-exists skip-if-same");
                assertThat(step.env()).containsKeys("ACTIONS_RUNTIME_TOKEN", "ACTIONS_RESULTS_URL");
                assertThat(String.valueOf(step.env().get("ACTIONS_RUNTIME_TOKEN")))
                        .startsWith("${{ steps.")
                        .endsWith(".outputs.runtime-token }}");
            }
        }
        assertThat(deployArtifact).isEqualTo("rust-scorer-artifact/bootstrap.zip");
        // the Pulumi program (infra/aws, run from the repository root's checkout) reads the same
        // place
        Path infraAws = Path.of("infra/aws");
        if (Files.isDirectory(infraAws)) {
            try (Stream<Path> s = Files.walk(infraAws)) {
                boolean reads =
                        s.filter(
                                        f ->
                                                f.toString().endsWith(".ts")
                                                        && !f.toString().contains("node_modules"))
                                .map(WorkflowFixtures::read)
                                .anyMatch(
                                        t ->
                                                t.contains(
                                                                "\"..\", \"..\", \"rust-scorer-artifact\", \"bootstrap.zip\"")
                                                        || t.contains(
                                                                "../../rust-scorer-artifact/bootstrap.zip"));
                assertThat(reads)
                        .as("infra/aws loads ../../rust-scorer-artifact/bootstrap.zip")
                        .isTrue();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        // the build job's outputs come from step outputs the commands really write
        Set<String> written = outputsWrittenByTheScripts();
        @SuppressWarnings("unchecked")
        Map<String, Object> outputs =
                (Map<String, Object>) map(generic.get("build-rust-scorer")).get("outputs");
        for (Object expr : outputs.values()) {
            Matcher m =
                    Pattern.compile("steps\\.[\\w-]+\\.outputs\\.([\\w-]+)")
                            .matcher(expr.toString());
            int found = 0;
            while (m.find()) {
                found++;
                assertThat(written)
                        .as("output " + m.group(1) + " is written by a command")
                        .contains(m.group(1));
            }
            assertThat(found).as(expr.toString()).isPositive();
        }
    }

    @Test
    void actionsArePinnedToVerifiedFullShasWithTheirVersion() {
        Map<String, List<WorkflowText.Line>> files = new LinkedHashMap<>();
        workflows.forEach((name, wf) -> files.put(name, wf.lines()));
        files.putAll(actions);
        for (Map.Entry<String, List<WorkflowText.Line>> wf : files.entrySet()) {
            for (WorkflowText.Line line : wf.getValue()) {
                String body = line.body();
                if (!body.startsWith("uses:") && !body.startsWith("- uses:")) continue;
                if (body.contains("uses: ./.github/workflows/")
                        || body.contains("uses: ./.github/actions/")) {
                    String local = body.substring(body.indexOf("./")).trim();
                    assertThat(Path.of(local)).as(wf.getKey() + ": " + local).exists();
                    continue;
                }
                Matcher m = PINNED.matcher(line.content());
                assertThat(m.matches())
                        .as(
                                wf.getKey()
                                        + ": '"
                                        + line.content().trim()
                                        + "' pinned as owner/repo@<40 hex> # vX.Y.Z")
                        .isTrue();
                assertThat(VERIFIED_PINS.get(m.group(1) + "@" + m.group(2)))
                        .as(wf.getKey() + ": " + m.group(1) + " pin")
                        .isEqualTo(m.group(3));
            }
        }
    }

    @Test
    void noExpressionsInScriptsAndSecretsOnlyThroughEnv() {
        for (Step step : steps()) {
            assertThat(step.run()).as(step + " run: has no ${{ }}").doesNotContain("${{");
            if (!String.valueOf(step.raw().get("uses")).startsWith(AWS_CREDENTIALS_ACTION)) {
                assertThat(String.valueOf(step.raw().get("with")))
                        .as(step + " with: has no secrets")
                        .doesNotContain("secrets.");
            }
        }
        for (Map.Entry<String, WorkflowFile> wf : workflows.entrySet()) {
            for (Map.Entry<String, Object> job : jobs(wf.getKey()).entrySet()) {
                Map<String, Object> body = map(job.getValue());
                for (String key : List.of("if", "with", "outputs", "env")) {
                    assertThat(String.valueOf(body.get(key)))
                            .as(wf.getKey() + " " + job.getKey() + "." + key)
                            .doesNotContain("secrets.");
                }
                assertThat(body.get("secrets"))
                        .as(
                                wf.getKey()
                                        + " "
                                        + job.getKey()
                                        + ": secrets passed by name, not inherited")
                        .isNotEqualTo("inherit");
            }
        }
    }

    @Test
    void leastPrivilegePermissionsAndConcurrencyPerEnvironment() {
        for (Map.Entry<String, WorkflowFile> wf : workflows.entrySet()) {
            Map<String, Object> top = wf.getValue().yaml().values();
            assertThat(top.get("permissions"))
                    .as(wf.getKey() + " top-level permissions: {}")
                    .isEqualTo(Map.of());
            for (Map.Entry<String, Object> job : jobs(wf.getKey()).entrySet()) {
                Object permissions = map(job.getValue()).get("permissions");
                assertThat(permissions)
                        .as(wf.getKey() + " " + job.getKey() + " declares permissions")
                        .isInstanceOf(Map.class);
                map(permissions)
                        .forEach(
                                (scope, level) -> {
                                    if (!"write".equals(level)) return;
                                    String where =
                                            wf.getKey()
                                                    + " "
                                                    + job.getKey()
                                                    + ": "
                                                    + scope
                                                    + ": write";
                                    switch (scope) {
                                        // OIDC: the cloud-credential jobs (their role trusts only
                                        // their environment) and
                                        // the build's provenance signature (no role trusts a job
                                        // without environment)
                                        case "id-token" ->
                                                assertThat(job.getKey())
                                                        .as(where)
                                                        .isIn(
                                                                "deploy_preview",
                                                                "deploy_backends",
                                                                "build-rust-scorer");
                                        case "attestations" ->
                                                assertThat(job.getKey())
                                                        .as(where)
                                                        .isEqualTo("build-rust-scorer");
                                        default ->
                                                assertThat(job.getKey())
                                                        .as(where + " (only release jobs write)")
                                                        .isIn("create-draft-release", "release");
                                    }
                                });
            }
        }
        for (String env : List.of("review", "staging", "production")) {
            assertThat(
                            map(workflows
                                            .get("build_and_deploy_" + env + ".yml")
                                            .yaml()
                                            .values()
                                            .get("concurrency"))
                                    .get("group"))
                    .isEqualTo("pipeline-" + env);
        }
        assertThat(
                        map(workflows
                                        .get("release_and_deploy_production.yml")
                                        .yaml()
                                        .values()
                                        .get("concurrency"))
                                .get("group"))
                .isEqualTo("pipeline-production");
        Map<String, Object> concurrency =
                map(
                        map(jobs("build_and_deploy_generic.yml").get("deploy_backends"))
                                .get("concurrency"));
        assertThat(concurrency)
                .containsEntry("group", "pulumi-${{ inputs.environment }}")
                .containsEntry("cancel-in-progress", false);
    }

    @Test
    void genericPipelineHasTheOriginalJobsAndAnApprovalGateThatASkippedBuildCannotSkip() {
        Map<String, Object> jobs = jobs("build_and_deploy_generic.yml");
        assertThat(jobs.keySet())
                .containsExactly(
                        "build-rust-scorer", "deploy_preview", "deploy_confirm", "deploy_backends");
        assertThat(map(jobs.get("build-rust-scorer")).get("runs-on")).isEqualTo("ubuntu-24.04-arm");
        assertThat(map(jobs.get("build-rust-scorer")).get("if"))
                .isEqualTo("${{ inputs.build_rust_scorer }}");
        // the deploy job itself is the approval: its environment has the reviewers and the deploy
        // credentials;
        // the preview, before any approval, gets its own environment with read-only credentials
        assertThat(map(map(jobs.get("deploy_backends")).get("environment")).get("name"))
                .isEqualTo("${{ inputs.environment }}");
        assertThat(map(map(jobs.get("deploy_preview")).get("environment")).get("name"))
                .isEqualTo("${{ inputs.environment }}-preview");
        assertThat(map(jobs.get("deploy_confirm"))).doesNotContainKey("environment");
        assertThat(map(jobs.get("build-rust-scorer"))).doesNotContainKey("environment");
        for (String name : List.of("deploy_preview", "deploy_confirm", "deploy_backends")) {
            Map<String, Object> job = map(jobs.get(name));
            String condition = String.valueOf(job.get("if"));
            assertThat(condition).as(name + " if").startsWith("${{ !cancelled() &&");
            for (Object need : (List<?>) job.get("needs")) {
                assertThat(condition)
                        .as(name + " checks " + need)
                        .contains("needs." + need + ".result");
            }
            assertThat(condition).contains("needs.build-rust-scorer.result == 'skipped'");
        }
        Map<String, Object> inputs =
                map(
                        map(map(workflows
                                                .get("build_and_deploy_generic.yml")
                                                .yaml()
                                                .values()
                                                .get("on"))
                                        .get("workflow_call"))
                                .get("inputs"));
        assertThat(inputs.keySet())
                .contains("refspec", "docker_tag", "environment", "build_rust_scorer");
        assertThat(map(inputs.get("build_rust_scorer"))).containsEntry("default", true);
    }

    @Test
    void callersResolveTheRefTestAndDeployThroughTheReusableWorkflows() {
        for (String file :
                List.of(
                        "build_and_deploy_review.yml",
                        "build_and_deploy_staging.yml",
                        "build_and_deploy_production.yml",
                        "release_and_deploy_production.yml")) {
            Map<String, Object> jobs = jobs(file);
            assertThat(map(map(jobs.get("ref")).get("outputs")).keySet())
                    .as(file)
                    .contains("refspec", "docker_tag", "version_tag");
            assertThat(WorkflowFixtures.read(DIR.resolve(file)))
                    .contains("git rev-parse --short HEAD");
            Map<String, Object> test = map(jobs.get("test"));
            assertThat(test.get("uses")).isEqualTo("./.github/workflows/test_generic.yml");
            assertThat(test.get("needs")).isEqualTo(List.of("ref"));
        }
        for (String env : List.of("review", "staging", "production")) {
            Map<String, Object> deploy =
                    map(jobs("build_and_deploy_" + env + ".yml").get("deploy"));
            assertThat(list(deploy.get("needs"))).contains("test", "ref");
            assertThat(deploy.get("uses"))
                    .isEqualTo("./.github/workflows/build_and_deploy_generic.yml");
            assertThat(map(deploy.get("with")))
                    .containsEntry("environment", env)
                    .containsEntry("docker_tag", "${{ needs.ref.outputs.docker_tag }}");
        }
        assertThat(
                        map(map(workflows
                                                .get("build_and_deploy_review.yml")
                                                .yaml()
                                                .values()
                                                .get("on"))
                                        .get("push"))
                                .get("branches"))
                .isEqualTo(List.of("main"));

        Map<String, Object> release = jobs("release_and_deploy_production.yml");
        assertThat(list(map(release.get("create-draft-release")).get("needs"))).contains("test");
        Map<String, Object> staging = map(release.get("deploy_staging"));
        Map<String, Object> production = map(release.get("deploy_production"));
        assertThat(list(staging.get("needs"))).contains("create-draft-release");
        assertThat(list(production.get("needs"))).contains("deploy_staging");
        assertThat(map(staging.get("with")))
                .containsEntry("environment", "staging")
                .containsEntry("build_rust_scorer", true);
        // one artifact for both stacks: production downloads what staging uploaded in this run
        assertThat(map(production.get("with")))
                .containsEntry("environment", "production")
                .containsEntry("build_rust_scorer", false)
                .containsEntry("docker_tag", map(staging.get("with")).get("docker_tag"));
        assertThat(list(map(release.get("release")).get("needs"))).contains("deploy_production");
    }

    @Test
    void theTestJobRunsTheProjectSuiteAndCiRunsItAndTheToggleCheck() {
        boolean runsSuite =
                steps().stream()
                        .anyMatch(
                                s ->
                                        s.file().equals("test_generic.yml")
                                                && s.run().trim().equals("scripts/run-tests.sh"));
        assertThat(runsSuite).as("test_generic.yml runs scripts/run-tests.sh").isTrue();
        assertThat(Path.of("scripts/run-tests.sh")).isExecutable();
        Map<String, Object> on = map(workflows.get("ci.yml").yaml().values().get("on"));
        assertThat(on).containsKeys("pull_request", "push");
        assertThat(map(jobs("ci.yml").get("test-suite")).get("uses"))
                .isEqualTo("./.github/workflows/test_generic.yml");
        assertThat(
                        steps().stream()
                                .anyMatch(
                                        s ->
                                                s.file().equals("ci.yml")
                                                        && s.run()
                                                                .equals(
                                                                        "./jbang toggle-tests@. check")))
                .isTrue();
    }

    // ---------------------------------------------------------------- helpers

    record Step(String file, String job, int index, Map<String, Object> raw) {
        String run() {
            return raw.get("run") == null ? "" : raw.get("run").toString();
        }

        Map<String, Object> env() {
            return raw.get("env") == null ? Map.of() : map(raw.get("env"));
        }

        @Override
        public String toString() {
            return file + " " + job + " step " + (index + 1) + " (" + raw.get("name") + ")";
        }
    }

    static List<Step> steps() {
        List<Step> all = new ArrayList<>();
        for (String file : workflows.keySet()) {
            for (Map.Entry<String, Object> job : jobs(file).entrySet()) {
                Object steps = map(job.getValue()).get("steps");
                if (!(steps instanceof List<?> list)) continue;
                for (int i = 0; i < list.size(); i++)
                    all.add(new Step(file, job.getKey(), i, map(list.get(i))));
            }
        }
        return all;
    }

    static Map<String, Object> jobs(String file) {
        return map(workflows.get(file).yaml().values().get("jobs"));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static CommandLine.Model.OptionSpec option(CommandLine root, String command, String name) {
        CommandLine sub = root.getSubcommands().get(command);
        assertThat(sub).as(command + " is registered").isNotNull();
        return sub.getCommandSpec().findOption(name);
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(text);
        while (m.find())
            words.add(
                    m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        return words;
    }

    /** "$VAR" → a sample value; the variable must be set by the step's env. */
    static String expand(String word, Step step) {
        Matcher m = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)\\}?").matcher(word);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            if (!RUNNER_VARIABLES.contains(m.group(1))) {
                assertThat(step.env())
                        .as(step + " sets $" + m.group(1) + " in env:")
                        .containsKey(m.group(1));
            }
            m.appendReplacement(sb, SAMPLE.getOrDefault(m.group(1), "sample"));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static Set<String> outputsWrittenByTheScripts() {
        Set<String> names = new TreeSet<>();
        Pattern output = Pattern.compile("\\.output\\(\"([\\w-]+)\"");
        try (Stream<Path> s = Files.walk(Path.of("scripts/src/main/java"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = output.matcher(WorkflowFixtures.read(p));
                while (m.find()) names.add(m.group(1));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return names;
    }
}
