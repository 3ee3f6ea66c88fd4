package scorerci.commands;

import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.artifacts.ArtifactStores;
import scorerci.artifacts.ArtifactTag;
import scorerci.artifacts.ArtifactUpload;
import scorerci.artifacts.store.ArtifactInfo;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.core.Actions;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.net.Deadlines;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;
import scorerci.net.RetryPolicy;

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
 * file-sha256, status, store); progress on stderr at most every 5 s. Tokens and signed URLs never
 * (masked). Exits: 0 uploaded or already there with the same content; 2 bad option or name; 3
 * missing token or git; 6 service failure after retries; 7 name taken with other content; 8 no such
 * file.
 */
@Command(
        name = "upload-artifact",
        mixinStandardHelpOptions = true,
        description =
                "Upload bootstrap.zip as a GitHub Actions artifact (v4), or to the local store outside Actions.")
public class UploadArtifactCommand extends BaseCommand {
    @Mixin ArtifactOptions artifact;

    @Mixin FormatOption output;

    /** upload-artifact's result record (--format json). */
    record UploadReport(
            long artifactId,
            String artifactName,
            long size,
            String digest,
            String fileSha256,
            String status,
            String store) {}

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
        Actions actions = actions();
        ArtifactUpload.IfExists mode = ArtifactUpload.IfExists.parse(ifExists);
        String artifactName = artifact.artifactName(ctx);
        Instant expiresAt =
                ArtifactTag.expiresAt(
                        retentionDays, ctx.env("GITHUB_RETENTION_DAYS"), Instant.now());
        ArtifactUpload.Outcome outcome;
        String where;
        try (HttpTransfer http =
                new HttpTransfer(
                        RetryPolicy.fromEnv(ctx::env),
                        Deadlines.fromEnv(ctx::env),
                        log())) { // closed: see HttpTransfer
            ArtifactStore target = ArtifactStores.forUpload(ctx, artifact.store, http);
            where = target.describe();
            log().progress("uploading " + file + " as artifact '" + artifactName + "' to " + where);
            outcome =
                    new ArtifactUpload(
                                    target,
                                    log(),
                                    total ->
                                            new ProgressMeter(
                                                    log(),
                                                    "upload " + artifactName,
                                                    total,
                                                    ArtifactOptions.progressInterval(ctx)))
                            .run(
                                    new ArtifactUpload.Request(
                                            artifactName, ctx.resolve(file), expiresAt, mode));
        }

        ArtifactInfo a = outcome.artifact();
        String status =
                outcome.skipped() ? "unchanged" : outcome.replaced() ? "replaced" : "uploaded";
        if (output.json()) {
            FormatOption.printJson(
                    results(),
                    new UploadReport(
                            a.id(),
                            a.name(),
                            a.size(),
                            a.prefixedDigest(),
                            outcome.innerSha256(),
                            status,
                            where));
        } else {
            ArtifactFacts.print(log(), a);
            result("file-sha256: " + outcome.innerSha256());
            result("status: " + status);
            result("store: " + where);
        }
        ArtifactFacts.outputs(actions, a);
        actions.output("file-sha256", outcome.innerSha256());
        actions.output("status", status);
        actions.summaryTable(
                "Artifact " + status,
                List.of("artifact", "id", "size", "digest"),
                List.of(
                        List.of(
                                a.name(),
                                Long.toString(a.id()),
                                Long.toString(a.size()),
                                a.prefixedDigest())));
        return 0;
    }
}
