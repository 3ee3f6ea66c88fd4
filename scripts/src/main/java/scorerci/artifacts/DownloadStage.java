package scorerci.artifacts;

import java.nio.file.Path;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.core.Context;
import scorerci.core.Log;
import scorerci.core.Stage;
import scorerci.net.HttpTransfer;
import scorerci.zip.DeclaredEntries;

/**
 * download-artifact as a stage: picks the store (this run's Results service, another run's REST
 * API, or the local store), fetches the artifact and lands it checked in {@code dest}. Used by the
 * download-artifact command and by deploy --tag.
 */
public final class DownloadStage implements Stage<DownloadStage.Request, ArtifactDownload.Outcome> {
    /** The default cap on what an artifact may extract to (--max-size-mb's default). */
    public static final long DEFAULT_MAX_SIZE_MB = 4096;

    /**
     * @param store local store directory (--store), or null for the default choice
     * @param runId another run to download from through the REST API, or null
     * @param repo that run's repository, or null for GITHUB_REPOSITORY
     * @param verify check bootstrap.zip as a Lambda zip
     */
    public record Request(
            String artifactName,
            Path dest,
            boolean verify,
            long maxBytes,
            String store,
            Long runId,
            String repo) {
        /**
         * What deploy --tag needs: the default store, this run, the Lambda-zip checks, the default
         * cap.
         */
        public static Request forDeploy(String artifactName, Path dest) {
            return new Request(
                    artifactName, dest, true, DEFAULT_MAX_SIZE_MB << 20, null, null, null);
        }
    }

    private final Context context;
    private final Log log;

    public DownloadStage(Context context, Log log) {
        this.context = context;
        this.log = log;
    }

    @Override
    public ArtifactDownload.Outcome run(Request request) {
        try (HttpTransfer http =
                ArtifactStores.transfer(context, log)
                        .capBodies(
                                ArtifactDownload.zippedCap(
                                        request.maxBytes()))) { // closed: see HttpTransfer
            ArtifactStore source =
                    ArtifactStores.forDownload(
                            context, request.store(), request.runId(), request.repo(), http);
            log.progress(
                    "downloading artifact '"
                            + request.artifactName()
                            + "' from "
                            + source.describe());
            return new ArtifactDownload(
                            source,
                            log,
                            ArtifactStores.meters(
                                    context, log, "download " + request.artifactName()))
                    .run(
                            new ArtifactDownload.Request(
                                    request.artifactName(),
                                    request.dest(),
                                    request.verify(),
                                    request.maxBytes(),
                                    // inside a checkout: what scorer/Cargo.toml declares
                                    DeclaredEntries.requiredFrom(context.workDir())));
        }
    }
}
