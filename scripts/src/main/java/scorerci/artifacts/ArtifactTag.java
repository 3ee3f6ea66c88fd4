package scorerci.artifacts;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import scorerci.cli.PipelineException;
import scorerci.process.ExternalProcess;

/** The default --tag (short commit SHA) and the expiry computed from --retention-days. */
public final class ArtifactTag {
    private ArtifactTag() {}

    /** `git rev-parse --short=7 HEAD` in the working directory, else the first 7 of GITHUB_SHA. */
    public static String defaultTag(Path workDir, Map<String, String> env) {
        if (ExternalProcess.onPath("git", env)) {
            ExternalProcess.Result result = ExternalProcess.of("git", "rev-parse", "--short=7", "HEAD")
                    .in(workDir).timeout(Duration.ofSeconds(30)).run();
            String sha = result.output().trim();
            if (result.ok() && sha.matches("[0-9a-f]{7,40}")) return sha;
        }
        String sha = env.get("GITHUB_SHA");
        if (sha != null && sha.matches("[0-9a-f]{7,40}")) return sha.substring(0, 7);
        throw PipelineException.prerequisite("cannot determine the default tag: " + workDir
                + " is not a git checkout and GITHUB_SHA is not set; pass --tag TAG (or --name NAME)");
    }

    /**
     * now + days, with GITHUB_RETENTION_DAYS (the repository's setting) as the cap, as
     * actions/upload-artifact does; null = the service's default.
     */
    public static Instant expiresAt(Integer retentionDays, String repositoryMax, Instant now) {
        if (retentionDays == null) return null;
        if (retentionDays < 1 || retentionDays > 90) {
            throw PipelineException.usage("--retention-days " + retentionDays + " is out of range; give 1 to 90");
        }
        int days = retentionDays;
        if (repositoryMax != null && repositoryMax.matches("\\d+")) days = Math.min(days, Integer.parseInt(repositoryMax));
        return now.plus(Duration.ofDays(days));
    }
}
