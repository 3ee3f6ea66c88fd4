package scorerci.artifacts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scorerci.actions.Actions;
import scorerci.cli.BaseCommand;
import scorerci.cli.Context;

/**
 * {@code upload-artifact}: stores bootstrap.zip as a GitHub Actions v4 artifact (or in the local
 * store outside Actions), wrapped so that actions/download-artifact yields
 * {@code <path>/bootstrap.zip}.
 *
 * Reads:  --file (default scorer/target/lambda/rust-scorer/bootstrap.zip); env ACTIONS_RUNTIME_TOKEN,
 *         ACTIONS_RESULTS_URL, GITHUB_ACTIONS, GITHUB_RETENTION_DAYS, GITHUB_SHA,
 *         ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY, SCORER_ARTIFACT_STORE, SCORER_ARTIFACT_RETRY_*;
 *         `git rev-parse` for the default tag.
 * Writes: the artifact (Results service + blob storage, or the store directory); step outputs
 *         artifact-id, artifact-name, size, digest, file-sha256, status; a job summary row.
 * Prints: stdout "key: value" lines (artifact-id, artifact-name, size, digest, file-sha256, status,
 *         store); progress on stderr at most every 5 s. Tokens and signed URLs never (masked).
 * Exits:  0 uploaded or already there with the same content; 2 bad option or name; 3 missing
 *         file, token or git; 6 service failure after retries; 7 name taken with other content.
 */
@Command(name = "upload-artifact", mixinStandardHelpOptions = true,
        description = "Upload bootstrap.zip as a GitHub Actions artifact (v4), or to the local store outside Actions.")
public class UploadArtifactCommand extends BaseCommand {
    @Option(names = "--name", paramLabel = "NAME", description = "Artifact name (default: rust-scorer-<tag>.zip).")
    String name;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag in the default name (default: short SHA of HEAD).")
    String tag;

    @Option(names = "--file", paramLabel = "PATH", defaultValue = "scorer/target/lambda/rust-scorer/bootstrap.zip",
            description = "File to upload (default: ${DEFAULT-VALUE}).")
    String file;

    @Option(names = "--retention-days", paramLabel = "N", description = "Days to keep it, 1-90 (default: the repository's setting).")
    Integer retentionDays;

    @Option(names = "--if-exists", paramLabel = "MODE", defaultValue = "skip-if-same",
            description = "When the name exists: fail, skip-if-same (default: succeed without uploading if the content is equal), overwrite.")
    String ifExists;

    @Option(names = "--store", paramLabel = "DIR",
            description = "Use this local artifact store directory instead of GitHub (default outside Actions: $SCORER_ARTIFACT_STORE or <repo>/.artifact-store).")
    String store;

    @Override
    protected int execute() {
        Context ctx = context();
        Actions actions = actions();
        Secrets secrets = new Secrets(actions);
        ArtifactUpload.IfExists mode = ArtifactUpload.IfExists.parse(ifExists);
        String artifactName = ArtifactName.validate(name != null ? name
                : ArtifactName.defaultFor(tag != null ? tag : ArtifactTag.defaultTag(ctx.workDir(), ctx.env())));
        Instant expiresAt = ArtifactTag.expiresAt(retentionDays, ctx.env("GITHUB_RETENTION_DAYS"), Instant.now());
        ArtifactUpload.Outcome outcome;
        String where;
        try (HttpTransfer http = new HttpTransfer(RetryPolicy.fromEnv(ctx::env), secrets, log())) { // closed: see HttpTransfer
            ArtifactStore target = ArtifactStores.forUpload(ctx, store, http, secrets);
            where = target.describe();
            log().progress("uploading " + file + " as artifact '" + artifactName + "' to " + where);
            outcome = new ArtifactUpload(target, log(),
                    total -> new ProgressMeter(log(), "upload " + artifactName, total, progressInterval(ctx)))
                    .run(new ArtifactUpload.Request(artifactName, ctx.resolve(file), expiresAt, mode));
        }

        ArtifactInfo a = outcome.artifact();
        String status = outcome.skipped() ? "unchanged" : outcome.replaced() ? "replaced" : "uploaded";
        log().info("artifact-id: " + a.id());
        log().info("artifact-name: " + a.name());
        log().info("size: " + a.size());
        log().info("digest: " + a.prefixedDigest());
        log().info("file-sha256: " + outcome.innerSha256());
        log().info("status: " + status);
        log().info("store: " + where);
        actions.output("artifact-id", Long.toString(a.id()));
        actions.output("artifact-name", a.name());
        actions.output("size", Long.toString(a.size()));
        actions.output("digest", a.prefixedDigest());
        actions.output("file-sha256", outcome.innerSha256());
        actions.output("status", status);
        actions.summaryTable("Artifact " + status, List.of("artifact", "id", "size", "digest"),
                List.of(List.of(a.name(), Long.toString(a.id()), Long.toString(a.size()), a.prefixedDigest())));
        return 0;
    }

    static Duration progressInterval(Context ctx) {
        String ms = ctx.env("SCORER_PROGRESS_INTERVAL_MS");
        return ms != null && ms.matches("\\d+") ? Duration.ofMillis(Long.parseLong(ms)) : Duration.ofSeconds(5);
    }
}
