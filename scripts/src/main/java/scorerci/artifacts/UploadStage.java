package scorerci.artifacts;

import java.nio.file.Path;
import java.time.Instant;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.core.Log;
import scorerci.core.Stage;
import scorerci.net.HttpTransfer;
import scorerci.zip.DeclaredEntries;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * upload-artifact as a stage: picks the store (this run's Results service inside Actions, else the
 * local store), then stores the file under the artifact name ({@link ArtifactUpload}). Used by the
 * upload-artifact command and by ci.
 */
public final class UploadStage implements Stage<UploadStage.Request, UploadStage.Result> {
    /**
     * @param expiresAt null: the store's default retention
     * @param store local store directory (--store), or null for the default choice
     * @param dryRun check the file (a bootstrap.zip as a Lambda zip) and compute the artifact it
     *     would store, without contacting any store
     */
    public record Request(
            String artifactName,
            Path file,
            Instant expiresAt,
            ArtifactUpload.IfExists ifExists,
            String store,
            boolean dryRun) {
        public Request(
                String artifactName,
                Path file,
                Instant expiresAt,
                ArtifactUpload.IfExists ifExists,
                String store) {
            this(artifactName, file, expiresAt, ifExists, store, false);
        }

        ArtifactUpload.Request upload() {
            return new ArtifactUpload.Request(artifactName, file, expiresAt, ifExists);
        }
    }

    /**
     * @param store where it went (or would go), as the store describes itself (no token, no signed
     *     URL)
     */
    public record Result(ArtifactUpload.Outcome outcome, String store, boolean dryRun) {
        /**
         * uploaded, replaced (--if-exists overwrite), unchanged (the same content was there), or
         * dry-run (nothing was stored).
         */
        public String status() {
            if (dryRun) return "dry-run";
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
                ArtifactStores.transfer(context, log)) { // closed: see HttpTransfer
            ArtifactStore target = ArtifactStores.forUpload(context, request.store(), http);
            String where = target.describe();
            if (request.dryRun()) return dryRun(request, where);
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
                                    ArtifactStores.meters(
                                            context, log, "upload " + request.artifactName()))
                            .run(request.upload());
            return new Result(outcome, where, false);
        }
    }

    /**
     * The checks and the artifact, without a transfer: the store was only chosen and described
     * (choosing one reads the environment and, for the local store, nothing on disk is written).
     */
    private Result dryRun(Request request, String where) {
        if (request.file().getFileName().toString().equals(DefaultPaths.LAMBDA_ZIP)) {
            ZipVerifier.verify(
                    request.file(),
                    ZipRules.defaults()
                            .withRequiredEntries(DeclaredEntries.requiredFrom(context.workDir())));
            log.progress("dry run: " + request.file() + " verifies as a Lambda zip");
        }
        ArtifactUpload.Outcome planned = ArtifactUpload.plan(request.upload());
        log.progress(
                "dry run: would store "
                        + request.file()
                        + " as artifact '"
                        + request.artifactName()
                        + "' in "
                        + where
                        + "; nothing was uploaded");
        return new Result(planned, where, true);
    }
}
