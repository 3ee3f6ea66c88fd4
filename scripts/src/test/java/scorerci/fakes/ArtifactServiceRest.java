package scorerci.fakes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST part of the fake (GitHub API v3 shapes): repository, workflow run, a run's artifacts
 * ({@code per_page}/{@code page} with a Link header, {@code name=}), one artifact with its {@code
 * digest}, and {@code /zip} answering 302 to a signed blob URL on the blob port. Auth: {@code
 * Authorization: token|Bearer <token>}; a wrong token is 401 "Bad credentials", a token without
 * Actions read permission is 403 "Resource not accessible by integration".
 */
public final class ArtifactServiceRest {
    private static final Pattern REPO = Pattern.compile("/repos/([^/]+)/([^/]+)(/.*)?");
    private final ArtifactService service;
    private volatile String token = "ghs_fakeInstallationToken1234567890";
    private volatile boolean actionsRead = true;

    ArtifactServiceRest(ArtifactService service) {
        this.service = service;
    }

    /** The GITHUB_TOKEN this fake accepts. */
    public String token() {
        return token;
    }

    /** Makes the token lack `actions: read` (403 on every actions endpoint). */
    public void denyActionsRead() {
        actionsRead = false;
    }

    void handle(HttpExchange ex) throws IOException {
        int status;
        try {
            status = route(ex);
        } catch (RestError e) {
            status =
                    ArtifactService.respond(
                            ex,
                            e.status,
                            "application/json",
                            ArtifactService.JSON
                                    .createObjectNode()
                                    .put("message", e.getMessage())
                                    .put("documentation_url", "https://docs.github.com/rest")
                                    .toString());
        }
        service.record("rest", ex, "", status);
    }

    private int route(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !(auth.equals("token " + token) || auth.equals("Bearer " + token))) {
            throw new RestError(401, "Bad credentials");
        }
        if (!"GET".equals(ex.getRequestMethod())) throw new RestError(404, "Not Found");
        Matcher m = REPO.matcher(ex.getRequestURI().getRawPath());
        if (!m.matches()) throw new RestError(404, "Not Found");
        String repository = m.group(1) + "/" + m.group(2);
        if (service.runs.stream().noneMatch(r -> r.repository().equals(repository)))
            throw new RestError(404, "Not Found");
        String rest = m.group(3) == null ? "" : m.group(3);
        Map<String, String> query = ArtifactServiceBlobs.query(ex.getRequestURI().getRawQuery());
        if (rest.isEmpty() || rest.equals("/")) return json(ex, 200, repository(repository));
        if (!actionsRead) throw new RestError(403, "Resource not accessible by integration");

        Matcher run = Pattern.compile("/actions/runs/(\\d+)(/artifacts)?/?").matcher(rest);
        if (run.matches()) {
            ArtifactService.Run r =
                    service.runs.stream()
                            .filter(
                                    x ->
                                            x.repository().equals(repository)
                                                    && x.id() == Long.parseLong(run.group(1)))
                            .findFirst()
                            .orElseThrow(() -> new RestError(404, "Not Found"));
            if (run.group(2) == null) return json(ex, 200, run(r));
            ArtifactServiceFaults.Fault fault = service.faults.next("rest:list");
            if (fault != null && fault.kind() == ArtifactServiceFaults.Kind.STATUS)
                throw new RestError(fault.status(), "Service Unavailable");
            List<ArtifactService.Artifact> all =
                    service.artifacts(r).stream()
                            .filter(
                                    a ->
                                            query.get("name") == null
                                                    || query.get("name").equals(a.name))
                            .toList();
            return page(ex, all, query);
        }
        Matcher artifact = Pattern.compile("/actions/artifacts/(\\d+)(/zip)?/?").matcher(rest);
        if (artifact.matches()) {
            long id = Long.parseLong(artifact.group(1));
            ArtifactService.Artifact a =
                    service.artifacts.stream()
                            .filter(
                                    x ->
                                            x.finalized
                                                    && x.id == id
                                                    && x.run.repository().equals(repository))
                            .findFirst()
                            .orElseThrow(() -> new RestError(404, "Not Found"));
            if (artifact.group(2) == null) return json(ex, 200, artifact(a));
            ArtifactServiceFaults.Fault fault = service.faults.next("rest:zip");
            if (fault != null && fault.kind() == ArtifactServiceFaults.Kind.STATUS)
                throw new RestError(fault.status(), "Service Unavailable");
            if (a.expired()) throw new RestError(410, "Artifact has expired");
            ex.getResponseHeaders()
                    .set(
                            "Location",
                            fault != null && fault.kind() == ArtifactServiceFaults.Kind.REDIRECT
                                    ? fault.retryAfter()
                                    : service.blobs.signedUrl(a.blobKey, false));
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return 302;
        }
        if (rest.matches("/actions/artifacts/?")) {
            List<ArtifactService.Artifact> all =
                    service.artifacts.stream()
                            .filter(a -> a.finalized && a.run.repository().equals(repository))
                            .filter(
                                    a ->
                                            query.get("name") == null
                                                    || query.get("name").equals(a.name))
                            .toList();
            return page(ex, all, query);
        }
        throw new RestError(404, "Not Found");
    }

    private int page(HttpExchange ex, List<ArtifactService.Artifact> all, Map<String, String> query)
            throws IOException {
        int perPage = Math.min(100, Integer.parseInt(query.getOrDefault("per_page", "30")));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int from = Math.min(all.size(), (page - 1) * perPage);
        int to = Math.min(all.size(), from + perPage);
        ObjectNode body = ArtifactService.JSON.createObjectNode().put("total_count", all.size());
        ArrayNode list = body.putArray("artifacts");
        for (ArtifactService.Artifact a : all.subList(from, to)) list.add(artifact(a));
        if (to < all.size()) {
            String base =
                    service.apiUrl()
                            + ex.getRequestURI().getRawPath()
                            + "?per_page="
                            + perPage
                            + (query.get("name") == null
                                    ? ""
                                    : "&name="
                                            + java.net.URLEncoder.encode(
                                                    query.get("name"),
                                                    java.nio.charset.StandardCharsets.UTF_8));
            ex.getResponseHeaders()
                    .set("Link", "<" + base + "&page=" + (page + 1) + ">; rel=\"next\"");
        }
        return json(ex, 200, body);
    }

    private ObjectNode repository(String fullName) {
        String[] parts = fullName.split("/");
        ObjectNode repo =
                ArtifactService.JSON
                        .createObjectNode()
                        .put("id", Math.abs(fullName.hashCode()))
                        .put("node_id", "R_fake")
                        .put("name", parts[1])
                        .put("full_name", fullName)
                        .put("private", true)
                        .put("url", service.apiUrl() + "/repos/" + fullName)
                        .put("html_url", "https://github.com/" + fullName)
                        .put("default_branch", "main");
        repo.putObject("owner")
                .put("login", parts[0])
                .put("id", 1)
                .put("type", "Organization")
                .put("url", service.apiUrl() + "/users/" + parts[0]);
        return repo;
    }

    private ObjectNode run(ArtifactService.Run r) {
        String url = service.apiUrl() + "/repos/" + r.repository() + "/actions/runs/" + r.id();
        ObjectNode run =
                ArtifactService.JSON
                        .createObjectNode()
                        .put("id", r.id())
                        .put("name", "ci")
                        .put("node_id", "WFR_fake")
                        .put("head_branch", "main")
                        .put("head_sha", "0123456789abcdef0123456789abcdef01234567")
                        .put("run_number", 1)
                        .put("event", "push")
                        .put("status", "completed")
                        .put("conclusion", "success")
                        .put("workflow_id", 1)
                        .put("url", url)
                        .put(
                                "html_url",
                                "https://github.com/" + r.repository() + "/actions/runs/" + r.id())
                        .put("artifacts_url", url + "/artifacts")
                        .put("created_at", "2026-01-01T00:00:00Z")
                        .put("updated_at", "2026-01-01T00:00:00Z");
        run.set("repository", repository(r.repository()));
        run.set("head_repository", repository(r.repository()));
        return run;
    }

    private ObjectNode artifact(ArtifactService.Artifact a) {
        String url =
                service.apiUrl() + "/repos/" + a.run.repository() + "/actions/artifacts/" + a.id;
        ObjectNode n =
                ArtifactService.JSON
                        .createObjectNode()
                        .put("id", a.id)
                        .put("node_id", "MDg6QXJ0aWZhY3Q" + a.id)
                        .put("name", a.name)
                        .put("size_in_bytes", a.size)
                        .put("url", url)
                        .put("archive_download_url", url + "/zip")
                        .put("expired", a.expired())
                        .put("created_at", a.createdAt.toString())
                        .put("updated_at", a.createdAt.toString());
        if (a.expiresAt != null) n.put("expires_at", a.expiresAt.toString());
        else n.put("expires_at", a.createdAt.plusSeconds(90L * 86400).toString());
        if (a.digest != null) n.put("digest", a.digest);
        n.putObject("workflow_run")
                .put("id", a.run.id())
                .put("repository_id", 1)
                .put("head_repository_id", 1)
                .put("head_branch", "main")
                .put("head_sha", "0123456789abcdef0123456789abcdef01234567");
        return n;
    }

    private static int json(HttpExchange ex, int status, ObjectNode body) throws IOException {
        return ArtifactService.respond(
                ex, status, "application/json; charset=utf-8", body.toString());
    }

    static final class RestError extends RuntimeException {
        final int status;

        RestError(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
