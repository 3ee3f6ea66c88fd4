package scorerci.artifacts;

import java.util.function.LongFunction;
import scorerci.artifacts.rest.RestStore;
import scorerci.artifacts.results.ResultsClient;
import scorerci.artifacts.results.ResultsStore;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.artifacts.store.BackendIds;
import scorerci.artifacts.store.LocalStore;
import scorerci.core.Context;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.core.SecretRegistry;
import scorerci.net.Deadlines;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;
import scorerci.net.RetryPolicy;

/**
 * Picks the store from the options and the environment, one rule for both commands: {@code --store
 * DIR} → that local directory; inside GitHub Actions with the runtime token → the Results service
 * of this run (downloads with {@code --run-id} → the REST API); outside Actions → the local store
 * ({@code SCORER_ARTIFACT_STORE}, else {@code .artifact-store/} at the repository root). Inside
 * Actions without the token is an error that names the step to add.
 */
public final class ArtifactStores {
    /**
     * The one-line fix for "run steps cannot see the runtime token": the repository's one
     * token-bridge action.
     */
    public static final String EXPORT_STEP =
            "add the step `- id: runtime` / `uses: ./.github/actions/artifact-runtime` before it and give this step"
                    + " `env: ACTIONS_RUNTIME_TOKEN: ${{ steps.runtime.outputs.runtime-token }}` and"
                    + " `ACTIONS_RESULTS_URL: ${{ steps.runtime.outputs.results-url }}` (README: The runtime token;"
                    + " or pass --store DIR to use a local store)";

    public static final int DEFAULT_CONCURRENCY = 4;

    private ArtifactStores() {}

    /**
     * The transport of one upload or download, with the environment's retry policy and deadlines;
     * the caller closes it (see HttpTransfer).
     */
    static HttpTransfer transfer(Context context, Log log) {
        return new HttpTransfer(
                RetryPolicy.fromEnv(context::env), Deadlines.fromEnv(context::env), log);
    }

    /** Progress meters of a transfer named {@code what}, at the environment's interval. */
    static LongFunction<ProgressMeter> meters(Context context, Log log, String what) {
        return total -> new ProgressMeter(log, what, total, ProgressMeter.interval(context::env));
    }

    public static ArtifactStore forUpload(Context context, String storeOption, HttpTransfer http) {
        if (storeOption != null) return new LocalStore(context.resolve(storeOption));
        ArtifactStore results = results(context, http);
        if (results != null) return results;
        if (inActions(context)) {
            throw PipelineException.prerequisite(
                    "ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not visible to run steps, so"
                            + " upload-artifact cannot reach the artifact service; "
                            + EXPORT_STEP);
        }
        return local(context);
    }

    public static ArtifactStore forDownload(
            Context context, String storeOption, Long runId, String repository, HttpTransfer http) {
        if (storeOption != null) return new LocalStore(context.resolve(storeOption));
        if (runId != null) return rest(context, runId, repository, http);
        ArtifactStore results = results(context, http);
        if (results != null) return results;
        if (inActions(context)) {
            // v4 artifacts are listed by REST as soon as they are finalized, so GITHUB_TOKEN also
            // serves this run
            String run = context.env("GITHUB_RUN_ID");
            if (context.env("GITHUB_TOKEN") != null && run != null && run.matches("\\d+")) {
                return rest(context, Long.parseLong(run), repository, http);
            }
            throw PipelineException.prerequisite(
                    "neither the runtime token nor GITHUB_TOKEN is visible to this run step, so"
                            + " download-artifact cannot reach the artifact service; "
                            + EXPORT_STEP
                            + ", or set `env: GITHUB_TOKEN: ${{ github.token }}`");
        }
        return local(context);
    }

    public static LocalStore local(Context context) {
        String configured = context.env("SCORER_ARTIFACT_STORE");
        if (configured != null) return new LocalStore(context.resolve(configured));
        return new LocalStore(context.repoRoot().resolve(".artifact-store"));
    }

    /**
     * Upload concurrency: ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY as the official client reads it, else
     * 1 under act (ACT=true: its artifact server appends Put Block bodies in arrival order, so
     * parallel blocks would corrupt uploads over one block), else 4.
     */
    public static int concurrency(Context context) {
        String value = context.env("ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY");
        if (value == null) return "true".equals(context.env("ACT")) ? 1 : DEFAULT_CONCURRENCY;
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 32) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw PipelineException.usage(
                "ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY='"
                        + value
                        + "' must be an integer from 1 to 32");
    }

    private static ArtifactStore results(Context context, HttpTransfer http) {
        String token = context.env("ACTIONS_RUNTIME_TOKEN");
        String url = context.env("ACTIONS_RESULTS_URL");
        if (token == null && url == null) return null;
        if (token == null || url == null) {
            throw PipelineException.prerequisite(
                    (token == null ? "ACTIONS_RUNTIME_TOKEN" : "ACTIONS_RESULTS_URL")
                            + " is missing while "
                            + (token == null ? "ACTIONS_RESULTS_URL" : "ACTIONS_RUNTIME_TOKEN")
                            + " is set; export both: "
                            + EXPORT_STEP);
        }
        SecretRegistry.register(token);
        BackendIds ids = BackendIds.fromRuntimeToken(token);
        return new ResultsStore(
                new ResultsClient(url, token, ids, http), http, concurrency(context));
    }

    private static ArtifactStore rest(
            Context context, long runId, String repository, HttpTransfer http) {
        String token = context.env("GITHUB_TOKEN");
        if (token == null) {
            throw PipelineException.prerequisite(
                    "GITHUB_TOKEN is not set, so the artifacts of run "
                            + runId
                            + " cannot be listed; add `env: GITHUB_TOKEN: ${{ github.token }}` to the step and"
                            + " `permissions: actions: read` to the job");
        }
        SecretRegistry.register(token);
        String repo = repository != null ? repository : context.env("GITHUB_REPOSITORY");
        if (repo == null || !repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw PipelineException.usage(
                    repo == null
                            ? "--run-id needs --repo OWNER/REPO (GITHUB_REPOSITORY is not set)"
                            : "--repo '" + repo + "' is not of the form OWNER/REPO");
        }
        return new RestStore(apiUrl(context), token, repo, runId, http);
    }

    /**
     * GITHUB_API_URL, else derived from GITHUB_SERVER_URL (GitHub Enterprise: /api/v3), else
     * api.github.com.
     */
    static String apiUrl(Context context) {
        String api = context.env("GITHUB_API_URL");
        if (api != null) return api;
        String server = context.env("GITHUB_SERVER_URL");
        if (server == null || server.replaceAll("/+$", "").equals("https://github.com"))
            return "https://api.github.com";
        return server.replaceAll("/+$", "") + "/api/v3";
    }

    private static boolean inActions(Context context) {
        return "true".equals(context.env("GITHUB_ACTIONS"));
    }
}
