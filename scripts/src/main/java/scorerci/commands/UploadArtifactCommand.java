package scorerci.commands;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.artifacts.ArtifactRetention;
import scorerci.artifacts.ArtifactUpload;
import scorerci.artifacts.UploadStage;
import scorerci.core.Actions;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.core.Log;

/**
 * {@code upload-artifact}: stores bootstrap.zip as a GitHub Actions v4 artifact (or in the local
 * store outside Actions), wrapped so that actions/download-artifact yields {@code
 * <path>/bootstrap.zip}.
 *
 * <p>Reads: --file (default scorer/target/lambda/rust-scorer/bootstrap.zip); env
 * ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL, GITHUB_ACTIONS, GITHUB_RETENTION_DAYS, GITHUB_SHA,
 * ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY, SCORER_ARTIFACT_STORE, SCORER_ARTIFACT_RETRY_*; `git
 * rev-parse` for the default tag. Writes: the artifact (Results service + blob storage, or the
 * store directory); step outputs artifact-id, artifact-name, size, digest, file-sha256, status; a
 * job summary row. Prints: stdout "key: value" lines (artifact-id, artifact-name, size, digest,
 * file-sha256, status, store); progress on stderr at most every 5 s. --dry-run: the file checked (a
 * bootstrap.zip as a Lambda zip), the artifact it would store printed (id 0, status dry-run), no
 * network, nothing written. Tokens and signed URLs never (masked). Exits: 0 uploaded or already
 * there with the same content; 2 bad option or name; 3 missing token or git; 6 service failure
 * after retries; 7 name taken with other content; 8 no such file.
 */
@Command(
        name = "upload-artifact",
        mixinStandardHelpOptions = true,
        description =
                "Upload bootstrap.zip as a GitHub Actions artifact (v4), or to the local store outside Actions.")
public class UploadArtifactCommand extends BaseCommand {
    @Mixin ArtifactOptions artifact;

    @Mixin FormatOption output;

    @Mixin DryRunOption dryRun;

    /** upload-artifact's result record. */
    record UploadReport(
            @JsonUnwrapped ArtifactFacts artifact, String fileSha256, String status, String store)
            implements Report {
        /** With --dry-run: id 0 (only a store assigns one), status dry-run. */
        static UploadReport of(UploadStage.Result result) {
            return new UploadReport(
                    ArtifactFacts.of(result.outcome().artifact()),
                    result.outcome().innerSha256(),
                    result.status(),
                    result.store());
        }

        @Override
        public void printText(Log log) {
            artifact.print(log);
            log.result("file-sha256: " + fileSha256);
            log.result("status: " + status);
            log.result("store: " + store);
        }

        @Override
        public void writeActions(Actions actions) {
            artifact.outputs(actions);
            actions.output("file-sha256", fileSha256);
            actions.output("status", status);
            artifact.summary(actions, "Artifact " + status, null);
        }
    }

    @Option(
            names = "--file",
            paramLabel = "PATH",
            defaultValue = DefaultPaths.BUILT_ZIP,
            description = "File to upload (default: ${DEFAULT-VALUE}).")
    String file;

    @Option(
            names = "--retention-days",
            paramLabel = "N",
            description = "Days to keep it, 1-90 (default: the repository's setting).")
    Integer retentionDays;

    @Option(
            names = "--if-exists",
            paramLabel = "MODE",
            defaultValue = "skip-if-same",
            description =
                    "When the name exists: fail, skip-if-same (default: succeed without uploading if the content is equal), overwrite.")
    String ifExists;

    @Override
    protected int execute() {
        Context ctx = context();
        ArtifactUpload.IfExists mode = ArtifactUpload.IfExists.parse(ifExists);
        String artifactName = artifact.artifactName(ctx);
        Instant expiresAt =
                ArtifactRetention.expiresAt(
                        retentionDays, ctx.env("GITHUB_RETENTION_DAYS"), Instant.now());
        UploadStage.Result result =
                new UploadStage(ctx, log())
                        .run(
                                new UploadStage.Request(
                                        artifactName,
                                        ctx.resolve(file),
                                        expiresAt,
                                        mode,
                                        artifact.store,
                                        dryRun.dryRun));
        report(UploadReport.of(result));
        return 0;
    }
}
