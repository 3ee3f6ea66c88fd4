package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static scorerci.workflows.WorkflowContractTest.jobs;
import static scorerci.workflows.WorkflowContractTest.map;
import static scorerci.workflows.WorkflowContractTest.steps;
import static scorerci.workflows.WorkflowContractTest.workflows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Credentials follow the approval: which job may name which secret, variable and permission, and
 * what may be restored into a job that holds them. Static, over the real workflow files; the job
 * graph itself runs under act in {@link ActJobGraphTest}.
 */
class WorkflowCredentialsTest {
    static final String GENERIC = "build_and_deploy_generic.yml";
    static final Set<String> PREVIEW_CREDENTIALS =
            Set.of(
                    "secrets.PULUMI_PREVIEW_ACCESS_TOKEN",
                    "secrets.AWS_PREVIEW_ACCESS_KEY_ID",
                    "secrets.AWS_PREVIEW_SECRET_ACCESS_KEY",
                    "secrets.AWS_PREVIEW_SESSION_TOKEN",
                    "vars.AWS_PREVIEW_ROLE_ARN");
    static final Set<String> DEPLOY_CREDENTIALS =
            Set.of(
                    "secrets.PULUMI_ACCESS_TOKEN",
                    "secrets.AWS_ACCESS_KEY_ID",
                    "secrets.AWS_SECRET_ACCESS_KEY",
                    "secrets.AWS_SESSION_TOKEN",
                    "vars.AWS_DEPLOY_ROLE_ARN");
    static final Pattern CREDENTIAL = Pattern.compile("(?:secrets|vars)\\.[A-Z_]+");

    @BeforeAll
    static void load() throws IOException {
        WorkflowContractTest.load();
    }

    @Test
    void thePreviewNamesOnlyReadOnlyCredentialsAndTheDeployOnlyItsOwn() {
        Map<String, Object> jobs = jobs(GENERIC);
        assertThat(credentials(jobs.get("deploy_preview")))
                .containsExactlyInAnyOrderElementsOf(PREVIEW_CREDENTIALS);
        assertThat(credentials(jobs.get("deploy_backends")))
                .containsExactlyInAnyOrderElementsOf(DEPLOY_CREDENTIALS);
        assertThat(credentials(jobs.get("build-rust-scorer"))).isEmpty();
        assertThat(credentials(jobs.get("deploy_confirm"))).isEmpty();
    }

    @Test
    void everyJobThatNamesASecretRunsInAnEnvironment() {
        for (String file : workflows.keySet()) {
            for (Map.Entry<String, Object> job : jobs(file).entrySet()) {
                Map<String, Object> body = map(job.getValue());
                if (body.containsKey("uses"))
                    continue; // a call: maps secrets by name to the reusable workflow
                boolean namesSecret =
                        credentials(body).stream().anyMatch(c -> c.startsWith("secrets."));
                if (namesSecret)
                    assertThat(body).as(file + " " + job.getKey()).containsKey("environment");
            }
        }
    }

    @Test
    void awsComesThroughOidcWithAStaticKeyFallbackAndTheSessionTokenEverywhere() {
        for (String name : List.of("deploy_preview", "deploy_backends")) {
            Map<String, Object> job = map(jobs(GENERIC).get(name));
            assertThat(map(job.get("permissions"))).as(name).containsEntry("id-token", "write");
            List<WorkflowContractTest.Step> aws =
                    steps().stream()
                            .filter(s -> s.file().equals(GENERIC) && s.job().equals(name))
                            .filter(
                                    s ->
                                            String.valueOf(s.raw().get("uses"))
                                                    .startsWith(
                                                            WorkflowContractTest
                                                                    .AWS_CREDENTIALS_ACTION))
                            .toList();
            assertThat(aws).as(name + " configures AWS once").hasSize(1);
            Map<String, Object> with = map(aws.get(0).raw().get("with"));
            assertThat(String.valueOf(with.get("role-to-assume")))
                    .as(name)
                    .matches("\\$\\{\\{ vars\\.AWS_(PREVIEW|DEPLOY)_ROLE_ARN }}");
            assertThat(with)
                    .as(name)
                    .containsKeys(
                            "aws-access-key-id",
                            "aws-secret-access-key",
                            "aws-session-token",
                            "aws-region");
        }
        // every caller hands over exactly what the reusable workflow declares, by name, never
        // inherit
        Map<String, Object> declared =
                map(
                        map(map(workflows.get(GENERIC).yaml().values().get("on"))
                                        .get("workflow_call"))
                                .get("secrets"));
        for (String file : workflows.keySet()) {
            for (Map.Entry<String, Object> job : jobs(file).entrySet()) {
                Map<String, Object> body = map(job.getValue());
                if (!("./.github/workflows/" + GENERIC).equals(body.get("uses"))) continue;
                Map<String, Object> passed = map(body.get("secrets"));
                assertThat(passed.keySet())
                        .as(file + " " + job.getKey())
                        .isEqualTo(declared.keySet());
                passed.forEach(
                        (k, v) ->
                                assertThat(v)
                                        .as(file + " " + k)
                                        .isEqualTo("${{ secrets." + k + " }}"));
            }
        }
        declared.values().forEach(d -> assertThat(map(d)).containsEntry("required", false));
    }

    @Test
    void onlyTheCredentialAndProvenanceJobsMayMintOidcTokens() {
        for (String file : workflows.keySet()) {
            for (Map.Entry<String, Object> job : jobs(file).entrySet()) {
                Object permissions = map(job.getValue()).get("permissions");
                if (!(permissions instanceof Map<?, ?> p) || !"write".equals(p.get("id-token")))
                    continue;
                String text = String.valueOf(job.getValue());
                assertThat(
                                text.contains(WorkflowContractTest.AWS_CREDENTIALS_ACTION)
                                        || text.contains("actions/attest-build-provenance@"))
                        .as(file + " " + job.getKey() + " uses its id-token")
                        .isTrue();
            }
        }
    }

    @Test
    void noCacheIsRestoredIntoACredentialJobAndTheBuildsCachesAreKeyedExactly() {
        for (WorkflowContractTest.Step step : steps()) {
            if (!String.valueOf(step.raw().get("uses")).startsWith("actions/cache@")) continue;
            Map<String, Object> job = map(jobs(step.file()).get(step.job()));
            assertThat(job)
                    .as(step + ": no cache in a job with an environment")
                    .doesNotContainKey("environment");
            assertThat(credentials(job))
                    .as(step + ": no cache in a job that names credentials")
                    .isEmpty();
            Object permissions = job.get("permissions");
            if (permissions instanceof Map<?, ?> p && p.containsValue("write")) {
                assertThat(map(step.raw().get("with")))
                        .as(step + ": exact key in a job that can write or sign")
                        .doesNotContainKey("restore-keys");
            }
        }
    }

    @Test
    void productionCallersAcceptOnlyTheDefaultBranchOrTags() {
        for (String file :
                List.of("build_and_deploy_production.yml", "release_and_deploy_production.yml")) {
            List<WorkflowContractTest.Step> guard =
                    steps().stream()
                            .filter(
                                    s ->
                                            s.file().equals(file)
                                                    && s.job().equals("ref")
                                                    && s.run().contains("refs/tags/*"))
                            .toList();
            assertThat(guard).as(file).hasSize(1);
            WorkflowContractTest.Step step = guard.get(0);
            assertThat(step.run())
                    .contains(
                            "\"refs/heads/$DEFAULT_BRANCH\"",
                            "git merge-base --is-ancestor HEAD",
                            "git describe --exact-match --tags HEAD",
                            "exit 1");
            assertThat(step.env())
                    .containsEntry(
                            "DEFAULT_BRANCH", "${{ github.event.repository.default_branch }}")
                    .containsEntry("DISPATCH_REF", "${{ github.ref }}");
            assertThat(step.index())
                    .as("the guard runs before the ref is named")
                    .isLessThan(
                            steps().stream()
                                    .filter(
                                            s ->
                                                    s.file().equals(file)
                                                            && "ref".equals(s.raw().get("id")))
                                    .findFirst()
                                    .orElseThrow()
                                    .index());
        }
    }

    @Test
    void theTokenBridgeExistsOnceAsALocalActionAndFeedsOnlyTheStepThatNeedsIt() {
        for (WorkflowContractTest.Step step : steps()) {
            assertThat(String.valueOf(step.raw().get("uses")))
                    .as(step + ": github-script only inside the bridge action")
                    .doesNotStartWith("actions/github-script@");
            if (step.env().containsKey("ACTIONS_RUNTIME_TOKEN")) {
                assertThat(step.env())
                        .containsEntry(
                                "ACTIONS_RUNTIME_TOKEN",
                                "${{ steps.runtime.outputs.runtime-token }}")
                        .containsEntry(
                                "ACTIONS_RESULTS_URL", "${{ steps.runtime.outputs.results-url }}");
                boolean bridged =
                        steps().stream()
                                .anyMatch(
                                        s ->
                                                s.file().equals(step.file())
                                                        && s.job().equals(step.job())
                                                        && s.index() < step.index()
                                                        && "runtime".equals(s.raw().get("id"))
                                                        && "./.github/actions/artifact-runtime"
                                                                .equals(s.raw().get("uses")));
                assertThat(bridged).as(step + " follows the bridge step").isTrue();
            }
        }
        String bridge =
                WorkflowFixtures.read(
                        java.nio.file.Path.of(".github/actions/artifact-runtime/action.yml"));
        assertThat(bridge)
                .contains("core.setSecret(token)", "core.setOutput('runtime-token', token)")
                .doesNotContain("exportVariable", "GITHUB_ENV\"");
    }

    private static Set<String> credentials(Object job) {
        Set<String> found = new TreeSet<>();
        Matcher m = CREDENTIAL.matcher(String.valueOf(job));
        while (m.find()) found.add(m.group());
        return found;
    }
}
