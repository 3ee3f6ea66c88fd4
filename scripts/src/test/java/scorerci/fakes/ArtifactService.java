package scorerci.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A faithful, stateful fake of GitHub's artifact backend on loopback, for tests only (GitHub's
 * services cannot run here). Three surfaces, as artifacts-v4.md describes them:
 *
 * <ul>
 *   <li>The Results service's twirp ArtifactService (this class): JSON with snake_case proto names,
 *       int64 as strings, unknown fields rejected, Bearer runtime token whose JWT "scp" claim
 *       carries {@code Actions.Results:<run>:<job>}, 409 on a duplicate finalized name, {code,msg}
 *       errors; FinalizeArtifact checks size and sha256 against the committed blob.
 *   <li>Azure block-blob storage ({@link ArtifactServiceBlobs}) on its OWN port, as blob storage is
 *       another host: Put Block / Put Block List / GET, blocks assembled in block-list order,
 *       percent-encoded SAS {@code sig} values that must come back intact, Authorization refused.
 *   <li>The REST API ({@link ArtifactServiceRest}): repository, run, run-artifact listing with
 *       pagination and {@code name=}, artifact by id with {@code digest}, {@code /zip} → 302 to
 *       blob.
 * </ul>
 *
 * Blocks and blobs are kept in temp files, so 1 GB transfers do not load the test JVM's heap.
 * Faults are injected through {@link #faults()}.
 */
public final class ArtifactService implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TWIRP = "/twirp/github.actions.results.api.v1.ArtifactService/";
    private static final Set<String> COMMON =
            Set.of("workflow_run_backend_id", "workflow_job_run_backend_id");
    private static final Map<String, Set<String>> FIELDS =
            Map.of(
                    "CreateArtifact", Set.of("name", "expires_at", "version", "mime_type"),
                    "FinalizeArtifact", Set.of("name", "size", "hash"),
                    "ListArtifacts", Set.of("name_filter", "id_filter"),
                    "GetSignedArtifactURL", Set.of("name"),
                    "DeleteArtifact", Set.of("name"));

    private final HttpServer api;
    private final ExecutorService executor =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "fake-artifact-service");
                        t.setDaemon(true);
                        return t;
                    });
    final Path storage;
    final ArtifactServiceBlobs blobs;
    final ArtifactServiceRest rest;
    final ArtifactServiceFaults faults = new ArtifactServiceFaults();
    final List<Artifact> artifacts = new CopyOnWriteArrayList<>();
    final Map<String, Job> tokens = new ConcurrentHashMap<>();
    final List<Run> runs = new CopyOnWriteArrayList<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ids = new AtomicLong(1000);
    private final java.util.concurrent.atomic.AtomicInteger inFlight =
            new java.util.concurrent.atomic.AtomicInteger();

    /** One workflow run: REST sees (repository, id); twirp sees the backend id. */
    public record Run(String repository, long id, String backendId) {}

    /** One job of a run, with the runtime token the runner would give it. */
    public record Job(Run run, String backendId, String runtimeToken) {
        public Map<String, String> env(ArtifactService service) {
            return Map.of(
                    "ACTIONS_RUNTIME_TOKEN",
                    runtimeToken,
                    "ACTIONS_RESULTS_URL",
                    service.resultsUrl());
        }
    }

    /** One request as the fake saw it; header names lower-case. */
    public record Request(
            String surface,
            String method,
            String path,
            String rawQuery,
            Map<String, String> headers,
            String body,
            int status) {}

    /** An artifact row: created by CreateArtifact, visible once finalized. */
    public static final class Artifact {
        public final long id;
        public final Run run;
        public final String jobBackendId;
        public final String name;
        public final Instant createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        public volatile Instant expiresAt;
        public volatile boolean finalized;
        public volatile long size;
        public volatile String digest;
        public final String blobKey;
        public final String version;

        Artifact(
                long id,
                Run run,
                String jobBackendId,
                String name,
                Instant expiresAt,
                String blobKey,
                String version) {
            this.id = id;
            this.run = run;
            this.jobBackendId = jobBackendId;
            this.name = name;
            this.expiresAt = expiresAt;
            this.blobKey = blobKey;
            this.version = version;
        }

        public boolean expired() {
            return expiresAt != null && expiresAt.isBefore(Instant.now());
        }
    }

    private ArtifactService() throws IOException {
        storage = Files.createTempDirectory("fake-artifact-service-");
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        api.setExecutor(executor);
        api.createContext("/twirp/", tracked(this::twirp));
        blobs = new ArtifactServiceBlobs(this, executor);
        rest = new ArtifactServiceRest(this);
        api.createContext("/repos/", tracked(rest::handle));
        api.createContext(
                "/", ex -> respond(ex, 404, "application/json", "{\"message\":\"Not Found\"}"));
        api.start();
    }

    public static ArtifactService start() {
        try {
            return new ArtifactService();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake artifact service", e);
        }
    }

    /** ACTIONS_RESULTS_URL, with a path as the runner sends it (only the origin may be used). */
    public String resultsUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort() + "/ignored-path/";
    }

    /** GITHUB_API_URL. */
    public String apiUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    public ArtifactServiceFaults faults() {
        return faults;
    }

    public ArtifactServiceRest rest() {
        return rest;
    }

    public Run newRun(String repository, long id) {
        Run run = new Run(repository, id, UUID.randomUUID().toString());
        runs.add(run);
        return run;
    }

    public Job newJob(Run run) {
        String job = UUID.randomUUID().toString();
        String token =
                jwt(
                        "{\"scp\":\"Actions.GenericRead:"
                                + run.backendId()
                                + " Actions.Results:"
                                + run.backendId()
                                + ":"
                                + job
                                + " Actions.UploadArtifacts:"
                                + run.backendId()
                                + ":"
                                + job
                                + "\",\"iss\":\"fake\"}");
        Job j = new Job(run, job, token);
        tokens.put(token, j);
        return j;
    }

    static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(
                        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJl";
    }

    /** Finalized artifacts of a run (all jobs), oldest first. */
    public List<Artifact> artifacts(Run run) {
        return artifacts.stream().filter(a -> a.run.equals(run) && a.finalized).toList();
    }

    /** Every artifact row including unfinalized uploads. */
    public List<Artifact> allArtifacts() {
        return List.copyOf(artifacts);
    }

    /** The committed blob bytes of an artifact (the zipped artifact). */
    public byte[] content(Artifact a) {
        return blobs.committedBytes(a.blobKey);
    }

    /**
     * Every request seen so far. A handler records its request after it has answered, so a client
     * can finish before the record exists; this waits (up to 5 s) until no handler is running, so a
     * test that asks after a command returned sees all of that command's requests.
     */
    public List<Request> requests() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        synchronized (inFlight) {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    inFlight.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Stores a finalized artifact directly (e.g. a hostile zip), with its true digest. */
    public Artifact putArtifact(Job job, String name, byte[] zip) {
        Artifact a =
                new Artifact(
                        ids.incrementAndGet(),
                        job.run(),
                        job.backendId(),
                        name,
                        null,
                        UUID.randomUUID().toString(),
                        "4");
        blobs.commitDirect(a.blobKey, zip, "application/zip");
        a.size = zip.length;
        a.digest = "sha256:" + ArtifactServiceBlobs.sha256(zip);
        a.finalized = true;
        artifacts.add(a);
        return a;
    }

    public void expire(Artifact a) {
        a.expiresAt = Instant.now().minusSeconds(60);
    }

    private void twirp(HttpExchange ex) throws IOException {
        String method =
                ex.getRequestURI().getPath().startsWith(TWIRP)
                        ? ex.getRequestURI().getPath().substring(TWIRP.length())
                        : "";
        byte[] body = ex.getRequestBody().readAllBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        int status;
        try {
            ArtifactServiceFaults.Fault fault = faults.next("twirp:" + method);
            if (fault != null && fault.kind() == ArtifactServiceFaults.Kind.STATUS) {
                if (fault.retryAfter() != null)
                    ex.getResponseHeaders().add("Retry-After", fault.retryAfter());
                status = twirpError(ex, fault.status(), "unavailable", "injected fault");
            } else if (fault != null
                    && fault.kind() == ArtifactServiceFaults.Kind.DROP_CONNECTION) {
                record("twirp", ex, text, -1);
                throw new IOException("fault: connection dropped");
            } else {
                status = dispatch(ex, method, text);
            }
        } catch (TwirpError e) {
            status = twirpError(ex, e.status, e.code, e.getMessage());
        }
        record("twirp", ex, text, status);
    }

    private int dispatch(HttpExchange ex, String method, String text) throws IOException {
        if (!"POST".equals(ex.getRequestMethod()))
            throw new TwirpError(404, "bad_route", "twirp methods are POST");
        if (!FIELDS.containsKey(method))
            throw new TwirpError(
                    404, "bad_route", "no handler for path " + ex.getRequestURI().getPath());
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            throw new TwirpError(400, "malformed", "unexpected Content-Type: " + contentType);
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Job job = auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
        if (job == null)
            throw new TwirpError(401, "unauthenticated", "invalid or missing runtime token");
        JsonNode req;
        try {
            req = JSON.readTree(text);
        } catch (IOException e) {
            throw new TwirpError(400, "malformed", "the json request could not be decoded");
        }
        if (req == null || !req.isObject())
            throw new TwirpError(400, "malformed", "the json request could not be decoded");
        for (var it = req.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!COMMON.contains(f) && !FIELDS.get(method).contains(f)) {
                throw new TwirpError(400, "malformed", "unknown field \"" + f + "\"");
            }
        }
        String run = str(req, "workflow_run_backend_id");
        String jobId = str(req, "workflow_job_run_backend_id");
        if (!job.run().backendId().equals(run))
            throw new TwirpError(
                    403, "permission_denied", "token does not grant access to this workflow run");
        boolean writes =
                Set.of("CreateArtifact", "FinalizeArtifact", "DeleteArtifact").contains(method);
        if (writes && !job.backendId().equals(jobId))
            throw new TwirpError(
                    403, "permission_denied", "token does not grant access to this job");
        ObjectNode reply = JSON.createObjectNode();
        switch (method) {
            case "CreateArtifact" -> create(job, req, reply);
            case "FinalizeArtifact" -> finalizeArtifact(job, req, reply);
            case "ListArtifacts" -> list(job, req, reply);
            case "GetSignedArtifactURL" -> signedUrl(job, req, reply);
            case "DeleteArtifact" -> delete(job, req, reply);
            default -> throw new TwirpError(404, "bad_route", method);
        }
        return respond(ex, 200, "application/json", JSON.writeValueAsString(reply));
    }

    private void create(Job job, JsonNode req, ObjectNode reply) {
        if (faults.quotaExhausted()) {
            throw new TwirpError(
                    429,
                    "resource_exhausted",
                    "insufficient usage to create artifact: storage quota exceeded");
        }
        String name = required(req, "name");
        if (name.chars().anyMatch(c -> "\":<>|*?\r\n\\/".indexOf(c) >= 0)) {
            throw new TwirpError(
                    400, "invalid_argument", "artifact name contains a forbidden character");
        }
        JsonNode version = req.get("version");
        if (version == null || !version.isInt() || (version.asInt() != 4 && version.asInt() != 7)) {
            throw new TwirpError(400, "invalid_argument", "version must be 4 or 7");
        }
        Instant expires = null;
        if (req.has("expires_at")) {
            try {
                expires = Instant.parse(req.get("expires_at").asText());
            } catch (DateTimeParseException e) {
                throw new TwirpError(400, "malformed", "expires_at is not an RFC 3339 timestamp");
            }
        }
        synchronized (artifacts) {
            for (Artifact a : artifacts) {
                if (a.run.equals(job.run()) && a.name.equals(name)) {
                    if (a.finalized && !a.expired()) {
                        throw new TwirpError(
                                409,
                                "already_exists",
                                "an artifact with this name already exists on the workflow run");
                    }
                    artifacts.remove(
                            a); // an abandoned, never-finalized upload (or an expired one) is
                    // replaced
                }
            }
            Artifact a =
                    new Artifact(
                            ids.incrementAndGet(),
                            job.run(),
                            job.backendId(),
                            name,
                            expires,
                            UUID.randomUUID().toString(),
                            version.asText());
            artifacts.add(a);
            reply.put("ok", true).put("signed_upload_url", blobs.signedUrl(a.blobKey, true));
        }
    }

    private void finalizeArtifact(Job job, JsonNode req, ObjectNode reply) {
        String name = required(req, "name");
        JsonNode size = req.get("size");
        if (size == null || !size.isTextual())
            throw new TwirpError(400, "malformed", "size must be an int64 string");
        Artifact a =
                artifacts.stream()
                        .filter(x -> x.run.equals(job.run()) && x.name.equals(name) && !x.finalized)
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new TwirpError(
                                                404,
                                                "not_found",
                                                "no upload in progress for artifact " + name));
        long committed = blobs.committedSize(a.blobKey);
        if (committed < 0)
            throw new TwirpError(
                    412, "failed_precondition", "the artifact's blob has no committed block list");
        if (Long.parseLong(size.asText()) != committed) {
            throw new TwirpError(
                    400,
                    "invalid_argument",
                    "size "
                            + size.asText()
                            + " does not match the uploaded "
                            + committed
                            + " bytes");
        }
        String hash = str(req, "hash");
        String actual = "sha256:" + blobs.committedSha256(a.blobKey);
        if (hash != null && !hash.equals(actual))
            throw new TwirpError(
                    400, "invalid_argument", "hash does not match the uploaded content");
        a.size = committed;
        a.digest = hash;
        a.finalized = true;
        reply.put("ok", true).put("artifact_id", Long.toString(a.id));
    }

    private void list(Job job, JsonNode req, ObjectNode reply) {
        String nameFilter = str(req, "name_filter");
        String idFilter = str(req, "id_filter");
        ArrayNode out = reply.putArray("artifacts");
        for (Artifact a : artifacts(job.run())) {
            if (a.expired()) continue;
            if (nameFilter != null && !nameFilter.equals(a.name)) continue;
            if (idFilter != null && !idFilter.equals(Long.toString(a.id))) continue;
            ObjectNode n =
                    out.addObject()
                            .put("workflow_run_backend_id", a.run.backendId())
                            .put("workflow_job_run_backend_id", a.jobBackendId)
                            .put("database_id", Long.toString(a.id))
                            .put("name", a.name)
                            .put("size", Long.toString(a.size))
                            .put("created_at", a.createdAt.toString());
            if (a.digest != null) n.put("digest", a.digest);
        }
    }

    private void signedUrl(Job job, JsonNode req, ObjectNode reply) {
        String name = required(req, "name");
        String jobId = str(req, "workflow_job_run_backend_id");
        Artifact a =
                artifacts(job.run()).stream()
                        .filter(
                                x ->
                                        x.name.equals(name)
                                                && x.jobBackendId.equals(jobId)
                                                && !x.expired())
                        .findFirst()
                        .orElseThrow(() -> new TwirpError(404, "not_found", "artifact not found"));
        reply.put("signed_url", blobs.signedUrl(a.blobKey, false));
    }

    private void delete(Job job, JsonNode req, ObjectNode reply) {
        String name = required(req, "name");
        Artifact a =
                artifacts(job.run()).stream()
                        .filter(x -> x.name.equals(name))
                        .findFirst()
                        .orElseThrow(() -> new TwirpError(404, "not_found", "artifact not found"));
        artifacts.remove(a);
        blobs.delete(a.blobKey);
        reply.put("ok", true).put("artifact_id", Long.toString(a.id));
    }

    private static String str(JsonNode req, String field) {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new TwirpError(400, "malformed", field + " must be a string");
        return n.asText();
    }

    private static String required(JsonNode req, String field) {
        String v = str(req, field);
        if (v == null || v.isEmpty())
            throw new TwirpError(400, "invalid_argument", field + " is required");
        return v;
    }

    private static int twirpError(HttpExchange ex, int status, String code, String msg)
            throws IOException {
        ObjectNode n = JSON.createObjectNode().put("code", code).put("msg", msg);
        return respond(ex, status, "application/json", JSON.writeValueAsString(n));
    }

    static int respond(HttpExchange ex, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    /**
     * Counts the handler as running until it has recorded its request (see {@link #requests()}).
     */
    HttpHandler tracked(HttpHandler handler) {
        return ex -> {
            inFlight.incrementAndGet();
            try {
                handler.handle(ex);
            } finally {
                synchronized (inFlight) {
                    inFlight.decrementAndGet();
                    inFlight.notifyAll();
                }
            }
        };
    }

    void record(String surface, HttpExchange ex, String body, int status) {
        Map<String, String> headers = new java.util.TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        requests.add(
                new Request(
                        surface,
                        ex.getRequestMethod(),
                        ex.getRequestURI().getRawPath(),
                        ex.getRequestURI().getRawQuery(),
                        headers,
                        body == null ? "" : body,
                        status));
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() {
        api.stop(0);
        blobs.stop();
        executor.shutdownNow();
        try (var paths = Files.walk(storage)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files; the OS cleans up what is left
        }
    }

    /** A twirp error reply: HTTP status plus {code,msg}. */
    static final class TwirpError extends RuntimeException {
        final int status;
        final String code;

        TwirpError(int status, String code, String msg) {
            super(msg);
            this.status = status;
            this.code = code;
        }
    }
}
