package scorerci.artifacts;

import java.nio.file.Path;
import java.time.Instant;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.core.Context;
import scorerci.core.Log;
import scorerci.core.Stage;
import scorerci.net.Deadlines;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;
import scorerci.net.RetryPolicy;

/**
 * upload-artifact as a stage: picks the store (this run's Results service inside Actions, else the
 * local store), then stores the file under the artifact name ({@link ArtifactUpload}). Used by the
 * upload-artifact command and by ci.
 */
public final class UploadStage implements Stage<UploadStage.Request, UploadStage.Result> {
    /**
     * @param expiresAt null: the store's default retention
     * @param store local store directory (--store), or null for the default choice
     */
    public record Request(
            String artifactName,
            Path file,
            Instant expiresAt,
            ArtifactUpload.IfExists ifExists,
            String store) {}

    /**
     * @param store where it went, as the store describes itself (no token, no signed URL)
     */
    public record Result(ArtifactUpload.Outcome outcome, String store) {
        /** uploaded, replaced (--if-exists overwrite) or unchanged (the same content was there). */
        public String status() {
            return outcome.skipped() ? "unchanged" : outcome.replaced() ? "replaced" : "uploaded";
        }
    }

    private final Context context;
    private final Log log;

    public UploadStage(Context context, Log log) {
        this.context = context;
        this.log = log;
    }

    @Override
    public Result run(Request request) {
        try (HttpTransfer http =
                new HttpTransfer(
                        RetryPolicy.fromEnv(context::env),
                        Deadlines.fromEnv(context::env),
                        log)) { // closed: see HttpTransfer
            ArtifactStore target = ArtifactStores.forUpload(context, request.store(), http);
            String where = target.describe();
            log.progress(
                    "uploading "
                            + request.file()
                            + " as artifact '"
                            + request.artifactName()
                            + "' to "
                            + where);
            ArtifactUpload.Outcome outcome =
                    new ArtifactUpload(
                                    target,
                                    log,
                                    total ->
                                            new ProgressMeter(
                                                    log,
                                                    "upload " + request.artifactName(),
                                                    total,
                                                    ProgressMeter.interval(context::env)))
                            .run(
                                    new ArtifactUpload.Request(
                                            request.artifactName(),
                                            request.file(),
                                            request.expiresAt(),
                                            request.ifExists()));
            return new Result(outcome, where);
        }
    }
}
