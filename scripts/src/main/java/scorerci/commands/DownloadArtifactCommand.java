package scorerci.commands;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.artifacts.ArtifactDownload;
import scorerci.artifacts.DownloadStage;
import scorerci.core.Actions;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.core.Log;
import scorerci.core.OutsideText;
import scorerci.core.PipelineException;
import scorerci.zip.VerifiedZip;

/**
 * {@code download-artifact}: fetches an artifact made by upload-artifact or actions/upload-artifact
 * v4, checks it, and leaves {@code <dest>/bootstrap.zip}.
 *
 * <p>Reads: the artifact from this run (ACTIONS_RUNTIME_TOKEN + ACTIONS_RESULTS_URL), another run
 * (--run-id, --repo or GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL / GITHUB_SERVER_URL), or the
 * local store (--store, SCORER_ARTIFACT_STORE, <repo>/.artifact-store); inside the repository, the
 * entries scorer/Cargo.toml declares (required in bootstrap.zip). Writes: the artifact's files into
 * --dest (default rust-scorer-artifact): staged beside it and swapped in by one rename after the
 * digest, zip-safety and Lambda-zip checks passed (files --dest had that the artifact lacks are
 * kept); on any failure or SIGTERM --dest is as it was and the staging directory is gone. Step
 * outputs artifact-id, artifact-name, size, digest, path (the dest dir), zip-path, code-sha256.
 * Prints: stdout "key: value" lines; progress on stderr at most every 5 s; never tokens or URLs.
 * Exits: 0 done; 2 bad option/name; 3 missing token; 4 digest mismatch, unsafe or invalid zip; 6
 * service failure after retries; 8 no such artifact or run (the names that exist are listed), or
 * expired.
 */
@Command(
        name = "download-artifact",
        mixinStandardHelpOptions = true,
        description =
                "Download and verify a GitHub Actions artifact (v4) or a local-store artifact into a directory.")
public class DownloadArtifactCommand extends BaseCommand {
    @Mixin ArtifactOptions artifact;

    @Mixin FormatOption output;

    /**
     * download-artifact's result record (also deploy --tag's report of its download); zipPath,
     * codeSha256, machine and glibc are null with --no-verify.
     */
    record DownloadReport(
            @JsonUnwrapped ArtifactFacts artifact,
            String path,
            List<String> files,
            String zipPath,
            String codeSha256,
            String machine,
            String glibc)
            implements Report {
        static DownloadReport of(ArtifactDownload.Outcome outcome) {
            VerifiedZip zip = outcome.lambdaZip();
            return new DownloadReport(
                    ArtifactFacts.of(outcome.artifact()),
                    outcome.dest().toString(),
                    outcome.files().stream()
                            .map(f -> OutsideText.escape(f.toString()))
                            .toList(), // names come from the artifact
                    zip == null ? null : zip.path().toString(),
                    zip == null ? null : zip.codeSha256(),
                    zip == null ? null : zip.machine(),
                    zip == null ? null : zip.highestGlibc());
        }

        @Override
        public void printText(Log log) {
            artifact.print(log);
            log.result("path: " + path);
            for (String f : files) log.result("file: " + f);
            if (zipPath != null) {
                log.result("code-sha256: " + codeSha256);
                log.result("verified: " + zipPath + " (" + machine + ", glibc " + glibc + ")");
            }
        }

        @Override
        public void writeActions(Actions actions) {
            artifact.outputs(actions);
            actions.output("path", path);
            if (zipPath != null) {
                actions.output("zip-path", zipPath);
                actions.output("code-sha256", codeSha256);
            }
            artifact.summary(actions, "Artifact downloaded", path);
        }
    }

    @Option(
            names = "--dest",
            paramLabel = "DIR",
            defaultValue = DefaultPaths.ARTIFACT_DIR,
            description = "Directory to extract into (default: ${DEFAULT-VALUE}).")
    String dest;

    @Option(
            names = "--run-id",
            paramLabel = "ID",
            description =
                    "Download from this workflow run through the REST API (needs GITHUB_TOKEN).")
    Long runId;

    @Option(
            names = "--repo",
            paramLabel = "OWNER/REPO",
            description = "Repository of --run-id (default: $GITHUB_REPOSITORY).")
    String repo;

    @Option(
            names = "--no-verify",
            description = "Skip the Lambda-zip verification of bootstrap.zip (for other payloads).")
    boolean noVerify;

    @Option(
            names = "--max-size-mb",
            paramLabel = "MB",
            defaultValue = "" + DownloadStage.DEFAULT_MAX_SIZE_MB,
            description =
                    "Refuse artifacts that extract to more than this (default: ${DEFAULT-VALUE}).")
    long maxSizeMb;

    @Override
    protected int execute() {
        Context ctx = context();
        if (runId == null && repo != null)
            throw PipelineException.usage(
                    "--repo needs --run-id ID (the run whose artifact to fetch)");
        if (maxSizeMb < 1) throw PipelineException.usage("--max-size-mb must be at least 1");
        String artifactName = artifact.artifactName(ctx);
        long maxBytes =
                maxSizeMb > (Long.MAX_VALUE >> 20)
                        ? Long.MAX_VALUE
                        : maxSizeMb << 20; // huge values saturate
        ArtifactDownload.Outcome outcome =
                new DownloadStage(ctx, log())
                        .run(
                                new DownloadStage.Request(
                                        artifactName,
                                        ctx.resolve(dest),
                                        !noVerify,
                                        maxBytes,
                                        artifact.store,
                                        runId,
                                        repo));
        report(DownloadReport.of(outcome));
        return 0;
    }
}
