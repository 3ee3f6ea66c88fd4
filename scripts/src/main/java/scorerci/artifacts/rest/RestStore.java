package scorerci.artifacts.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kohsuke.github.GHArtifact;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHWorkflowRun;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import scorerci.artifacts.store.ArtifactInfo;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.core.OutsideText;
import scorerci.core.PipelineException;
import scorerci.core.SecretRegistry;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;
import scorerci.net.Surface;

/**
 * Artifacts of any run (this one, another workflow's, another repository's) through the REST API
 * with GITHUB_TOKEN. org.kohsuke:github-api finds the run and lists its artifacts; a direct call
 * reads what the library does not model (the artifact's {@code digest}) and fetches the zip: the
 * API answers 302 to a short-lived blob URL, which is followed WITHOUT the token (blob storage
 * rejects Authorization, and the token must not travel to another host). Read-only.
 */
public final class RestStore implements ArtifactStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiUrl;
    private final String token;
    private final String repository;
    private final long runId;
    private final HttpTransfer http;
    private GHWorkflowRun run;

    public RestStore(
            String apiUrl, String token, String repository, long runId, HttpTransfer http) {
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.token = token;
        this.repository = repository;
        this.runId = runId;
        this.http = http;
    }

    @Override
    public String describe() {
        return "run " + runId + " of " + repository;
    }

    @Override
    public List<ArtifactInfo> list() {
        GHWorkflowRun workflowRun = run();
        List<GHArtifact> artifacts =
                http.call(
                        Surface.REST,
                        "listing the artifacts of " + describe(),
                        () -> workflowRun.listArtifacts().withPageSize(100).toList());
        List<ArtifactInfo> result = new ArrayList<>();
        for (GHArtifact a : artifacts) {
            result.add(
                    new ArtifactInfo(
                            a.getId(),
                            a.getName(),
                            a.getSizeInBytes(),
                            null,
                            null,
                            expiresAt(a),
                            a.isExpired(),
                            null));
        }
        return result;
    }

    /** The library's listing finds it; a direct GET adds the digest it does not model. */
    @Override
    public Optional<ArtifactInfo> find(String name) {
        Optional<ArtifactInfo> listed = ArtifactStore.super.find(name);
        if (listed.isEmpty()) return listed;
        ArtifactInfo a = listed.get();
        URI uri = URI.create(apiUrl + "/repos/" + repository + "/actions/artifacts/" + a.id());
        HttpResponse<byte[]> response =
                http.send(Surface.REST, "reading artifact " + a.id(), () -> api(uri).GET().build());
        JsonNode node;
        try {
            node = JSON.readTree(response.body());
        } catch (IOException e) {
            throw PipelineException.remote(
                    "the GitHub API returned a non-JSON artifact record for id " + a.id());
        }
        String expires = node.path("expires_at").asText(null);
        String created = node.path("created_at").asText(null);
        return Optional.of(
                new ArtifactInfo(
                        a.id(),
                        a.name(),
                        node.path("size_in_bytes").asLong(a.size()),
                        ArtifactInfo.bareDigest(node.path("digest").asText(null)),
                        created == null ? null : Instant.parse(created),
                        expires == null ? a.expiresAt() : Instant.parse(expires),
                        node.path("expired").asBoolean(a.expired()),
                        null));
    }

    @Override
    public ArtifactInfo upload(String name, Instant expiresAt, Body body, ProgressMeter meter) {
        throw PipelineException.usage(
                "the REST API cannot create artifacts; upload runs inside the job with ACTIONS_RUNTIME_TOKEN");
    }

    @Override
    public void delete(ArtifactInfo artifact) {
        throw PipelineException.usage("deleting artifacts of another run is not supported");
    }

    @Override
    public <T> T stream(
            ArtifactInfo artifact, ProgressMeter meter, HttpTransfer.BodyReader<T> reader) {
        URI zip =
                URI.create(
                        apiUrl
                                + "/repos/"
                                + repository
                                + "/actions/artifacts/"
                                + artifact.id()
                                + "/zip");
        // the redirect target expires after a minute: ask for a fresh one on every attempt
        return http.stream(
                Surface.BLOB,
                "download of '" + artifact.name() + "'",
                () -> {
                    HttpResponse<byte[]> redirect =
                            http.send(
                                    Surface.REST,
                                    "requesting the download URL of artifact " + artifact.id(),
                                    () -> api(zip).GET().build());
                    String location = redirect.headers().firstValue("Location").orElse(null);
                    if (redirect.statusCode() / 100 != 3 || location == null) {
                        throw PipelineException.remote(
                                "the GitHub API answered HTTP "
                                        + redirect.statusCode()
                                        + " without a redirect for artifact "
                                        + artifact.id()
                                        + "; expected 302 to blob storage");
                    }
                    SecretRegistry.registerSignedUrl(location);
                    URI target;
                    try {
                        target = zip.resolve(location);
                    } catch (IllegalArgumentException e) {
                        throw PipelineException.remote(
                                "the GitHub API redirected artifact "
                                        + artifact.id()
                                        + " to a malformed URL; expected an https URL of blob storage");
                    }
                    if (!"https".equalsIgnoreCase(target.getScheme())
                            && !"http".equalsIgnoreCase(target.getScheme())) {
                        throw PipelineException.remote(
                                "the GitHub API redirected artifact "
                                        + artifact.id()
                                        + " to a '"
                                        + OutsideText.escape(String.valueOf(target.getScheme()))
                                        + ":' URL; only http(s) blob storage is followed"
                                        + " (check GITHUB_API_URL)");
                    }
                    return HttpRequest.newBuilder(target)
                            .timeout(http.timeout())
                            .header("User-Agent", "scorer-pipeline-artifacts/1.0")
                            .GET()
                            .build();
                },
                meter,
                reader);
    }

    private HttpRequest.Builder api(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(http.timeout())
                .header("Accept", "application/vnd.github+json")
                .header("Authorization", "Bearer " + token)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "scorer-pipeline-artifacts/1.0");
    }

    @SuppressWarnings(
            "deprecation") // ImpatientHttpConnector: the library's only connector with a per-read
    // timeout
    private GHWorkflowRun run() {
        if (run != null) return run;
        // the library's reads get the same connect and stall limits as ours (HttpTransfer.call
        // bounds the whole call)
        int connect = (int) Math.min(Integer.MAX_VALUE, http.deadlines().connect().toMillis());
        int stall = (int) Math.min(Integer.MAX_VALUE, http.policy().timeout().toMillis());
        // app-installation auth sends "token <t>" without the eager GET /user of withOAuthToken
        GitHub github =
                http.call(
                        Surface.REST,
                        "connecting to " + apiUrl,
                        () ->
                                new GitHubBuilder()
                                        .withEndpoint(apiUrl)
                                        .withAppInstallationToken(token)
                                        .withConnector(
                                                new org.kohsuke.github.extras
                                                        .ImpatientHttpConnector(
                                                        org.kohsuke.github.HttpConnector.DEFAULT,
                                                        connect,
                                                        stall))
                                        .build());
        GHRepository repo =
                http.call(
                        Surface.REST,
                        "looking up repository " + repository,
                        () -> github.getRepository(repository));
        run = http.call(Surface.REST, "looking up " + describe(), () -> repo.getWorkflowRun(runId));
        return run;
    }

    private static Instant expiresAt(GHArtifact a) {
        java.util.Date at = a.getExpiresAt();
        return at == null ? null : at.toInstant();
    }
}
