package scorerci.artifacts.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;

/**
 * Where artifacts live: the Results service of the current run ({@link ResultsStore}), another run
 * through the REST API ({@link RestStore}, read-only) or a local directory ({@link LocalStore}).
 * All share the v4 semantics: immutable names, SHA-256 digests of the zipped bytes, expiry.
 */
public interface ArtifactStore {
    /** For messages: "run 42 of owner/repo", "local store /x/.artifact-store". */
    String describe();

    /** Every artifact visible here (for "not found: these exist" messages). */
    List<ArtifactInfo> list();

    /** The newest artifact of this exact name, expired or not. */
    default Optional<ArtifactInfo> find(String name) {
        return list().stream()
                .filter(a -> a.name().equals(name))
                .max(java.util.Comparator.comparingLong(ArtifactInfo::id));
    }

    /** Uploads the zip that {@code body} writes; only a complete upload becomes visible. */
    ArtifactInfo upload(String name, Instant expiresAt, Body body, ProgressMeter meter);

    void delete(ArtifactInfo artifact);

    /** Streams the zipped artifact into {@code target}; returns the bytes' size and SHA-256. */
    default HttpTransfer.Downloaded download(
            ArtifactInfo artifact, Path target, ProgressMeter meter) {
        return stream(artifact, meter, body -> HttpTransfer.copyHashing(body, target));
    }

    /**
     * Hands the zipped artifact's bytes to {@code reader}. A transfer that fails on the way (the
     * body's IOException) is retried by calling the reader again with a fresh body, so the reader
     * must start from scratch on every call.
     */
    <T> T stream(ArtifactInfo artifact, ProgressMeter meter, HttpTransfer.BodyReader<T> reader);

    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }
}
