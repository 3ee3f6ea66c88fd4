package scorerci.fakes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Faults the fake artifact service injects, queued per operation and consumed one per request: a
 * status burst (e.g. three 503s, optionally with Retry-After), a connection dropped halfway through
 * reading the request body, a response body cut short, or corrupted response bytes.
 *
 * <p>Operations: "twirp:&lt;Method&gt;", "blob:block", "blob:blocklist", "blob:get", "rest:zip",
 * "rest:list".
 */
public final class ArtifactServiceFaults {
    public enum Kind {
        STATUS,
        DROP_CONNECTION,
        TRUNCATE,
        CORRUPT,
        REDIRECT
    }

    /**
     * @param retryAfter for STATUS: the Retry-After header; for REDIRECT: the Location
     */
    public record Fault(Kind kind, int status, String retryAfter) {}

    private final Map<String, Deque<Fault>> queued = new HashMap<>();
    private final Map<String, Integer> injected = new HashMap<>();

    /**
     * The next {@code times} requests of this operation answer {@code status} (with a
     * twirp/Azure/REST style body).
     */
    public synchronized ArtifactServiceFaults status(String operation, int status, int times) {
        return add(operation, new Fault(Kind.STATUS, status, null), times);
    }

    public synchronized ArtifactServiceFaults statusWithRetryAfter(
            String operation, int status, int times, String retryAfter) {
        return add(operation, new Fault(Kind.STATUS, status, retryAfter), times);
    }

    /** The next requests are cut off after half their body was read: no response at all. */
    public synchronized ArtifactServiceFaults dropConnection(String operation, int times) {
        return add(operation, new Fault(Kind.DROP_CONNECTION, 0, null), times);
    }

    /** The next downloads announce the full Content-Length but send only half, then close. */
    public synchronized ArtifactServiceFaults truncate(String operation, int times) {
        return add(operation, new Fault(Kind.TRUNCATE, 0, null), times);
    }

    /** The next downloads deliver complete but altered bytes (one byte flipped). */
    public synchronized ArtifactServiceFaults corrupt(String operation, int times) {
        return add(operation, new Fault(Kind.CORRUPT, 0, null), times);
    }

    /**
     * The next "rest:zip" requests redirect to {@code location} (e.g. a file: URL) instead of blob
     * storage.
     */
    public synchronized ArtifactServiceFaults redirect(
            String operation, String location, int times) {
        return add(operation, new Fault(Kind.REDIRECT, 302, location), times);
    }

    private volatile boolean quota;

    /**
     * While on, CreateArtifact answers like an exhausted storage quota (429, msg "insufficient
     * usage ...").
     */
    public void quota(boolean exhausted) {
        quota = exhausted;
    }

    boolean quotaExhausted() {
        return quota;
    }

    public synchronized void clear() {
        queued.clear();
    }

    /** How many faults of this operation were actually served. */
    public synchronized int injected(String operation) {
        return injected.getOrDefault(operation, 0);
    }

    synchronized Fault next(String operation) {
        Deque<Fault> q = queued.get(operation);
        Fault f = q == null ? null : q.pollFirst();
        if (f != null) injected.merge(operation, 1, Integer::sum);
        return f;
    }

    private ArtifactServiceFaults add(String operation, Fault fault, int times) {
        Deque<Fault> q = queued.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) q.addLast(fault);
        return this;
    }
}
