package scorerci.artifacts.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import scorerci.artifacts.store.ArtifactInfo;
import scorerci.artifacts.store.BackendIds;
import scorerci.core.PipelineException;
import scorerci.net.HttpTransfer;
import scorerci.net.Surface;

/**
 * The Results service's twirp ArtifactService, spoken as the official client does: POST JSON with
 * snake_case proto names, int64 as strings, Bearer runtime token. Replies are read in snake_case or
 * lowerCamelCase (Gitea and act answer camelCase); {@code ok: false} is a failure.
 */
public final class ResultsClient {
    static final String SERVICE = "/twirp/github.actions.results.api.v1.ArtifactService/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI origin;
    private final String token;
    private final BackendIds ids;
    private final HttpTransfer http;

    /**
     * @param resultsUrl ACTIONS_RESULTS_URL; only its origin counts, as in the official client
     */
    public ResultsClient(String resultsUrl, String token, BackendIds ids, HttpTransfer http) {
        URI u;
        try {
            u = URI.create(resultsUrl.trim());
        } catch (IllegalArgumentException e) {
            throw PipelineException.usage(
                    "ACTIONS_RESULTS_URL is not a URL; export the runner's own value");
        }
        if (u.getScheme() == null || u.getAuthority() == null) {
            throw PipelineException.usage(
                    "ACTIONS_RESULTS_URL '"
                            + resultsUrl
                            + "' has no scheme or host; export the runner's own value");
        }
        this.origin = URI.create(u.getScheme() + "://" + u.getRawAuthority());
        this.token = token;
        this.ids = ids;
        this.http = http;
    }

    public BackendIds ids() {
        return ids;
    }

    /** CreateArtifact, version 4 (zip), no mime_type. Returns the signed upload URL. */
    public String createArtifact(String name, Instant expiresAt) {
        ObjectNode request = request(ids).put("name", name).put("version", 4);
        if (expiresAt != null)
            request.put("expires_at", DateTimeFormatter.ISO_INSTANT.format(expiresAt));
        JsonNode reply = call("CreateArtifact", request);
        String url = text(reply, "signed_upload_url", "signedUploadUrl");
        if (url == null)
            throw PipelineException.remote(
                    "CreateArtifact returned no signed_upload_url; the Results service answered unexpectedly");
        return url;
    }

    /** FinalizeArtifact with the size and "sha256:&lt;hex&gt;"; returns the artifact id. */
    public long finalizeArtifact(String name, long size, String sha256Hex) {
        ObjectNode request =
                request(ids)
                        .put("name", name)
                        .put("size", Long.toString(size))
                        .put("hash", "sha256:" + sha256Hex);
        return number(call("FinalizeArtifact", request), "artifact_id", "artifactId");
    }

    /** ListArtifacts, optionally by exact name; entries carry their uploader's backend ids. */
    public List<ArtifactInfo> listArtifacts(String nameFilter) {
        ObjectNode request = request(ids);
        if (nameFilter != null) request.put("name_filter", nameFilter);
        JsonNode reply = call("ListArtifacts", request);
        List<ArtifactInfo> result = new ArrayList<>();
        for (JsonNode a : reply.path("artifacts")) {
            String created = text(a, "created_at", "createdAt");
            String run = text(a, "workflow_run_backend_id", "workflowRunBackendId");
            String job = text(a, "workflow_job_run_backend_id", "workflowJobRunBackendId");
            result.add(
                    new ArtifactInfo(
                            number(a, "database_id", "databaseId"),
                            text(a, "name", "name"),
                            number(a, "size", "size"),
                            ArtifactInfo.bareDigest(text(a, "digest", "digest")),
                            created == null ? null : Instant.parse(created),
                            null,
                            false,
                            run == null || job == null ? ids : new BackendIds(run, job)));
        }
        return result;
    }

    public String signedArtifactUrl(String name, BackendIds owner) {
        JsonNode reply =
                call(
                        "GetSignedArtifactURL",
                        request(owner == null ? ids : owner).put("name", name));
        String url = text(reply, "signed_url", "signedUrl");
        if (url == null || url.isBlank())
            throw PipelineException.remote(
                    "GetSignedArtifactURL returned no signed_url for '" + name + "'");
        return url;
    }

    public long deleteArtifact(String name) {
        return number(
                call("DeleteArtifact", request(ids).put("name", name)),
                "artifact_id",
                "artifactId");
    }

    private static ObjectNode request(BackendIds owner) {
        return JSON.createObjectNode()
                .put("workflow_run_backend_id", owner.workflowRun())
                .put("workflow_job_run_backend_id", owner.workflowJobRun());
    }

    private JsonNode call(String method, ObjectNode body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        URI uri = origin.resolve(SERVICE + method);
        HttpResponse<byte[]> response =
                http.send(
                        Surface.RESULTS,
                        method,
                        () ->
                                HttpRequest.newBuilder(uri)
                                        .timeout(http.timeout())
                                        .header("Content-Type", "application/json")
                                        .header("Authorization", "Bearer " + token)
                                        .header("User-Agent", "scorer-pipeline-artifacts/1.0")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                                        .build());
        if (response.statusCode() != 200) {
            throw PipelineException.remote(
                    method + " answered HTTP " + response.statusCode() + " instead of 200");
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(response.body());
        } catch (IOException e) {
            throw PipelineException.remote(
                    method
                            + " returned a body that is not JSON; is ACTIONS_RESULTS_URL the Results service?");
        }
        if (reply.has("ok") && !reply.path("ok").asBoolean()) {
            throw PipelineException.remote(
                    method + " answered ok: false; the Results service refused the request");
        }
        return reply;
    }

    private static String text(JsonNode node, String snake, String camel) {
        JsonNode v = node.has(snake) ? node.get(snake) : node.get(camel);
        if (v == null || v.isNull()) return null;
        return v.isValueNode() ? v.asText() : v.path("value").asText(null);
    }

    private static long number(JsonNode node, String snake, String camel) {
        String v = text(node, snake, camel);
        if (v == null || v.isBlank()) return 0;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw PipelineException.remote(
                    "the Results service sent " + snake + "='" + v + "', not a number");
        }
    }
}
