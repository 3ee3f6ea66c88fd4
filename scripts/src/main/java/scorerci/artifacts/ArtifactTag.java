package scorerci.artifacts;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import scorerci.core.PipelineException;
import scorerci.packaging.GitInfo;

/** The default --tag (short commit SHA) and the expiry computed from --retention-days. */
public final class ArtifactTag {
    private ArtifactTag() {}

    /**
     * The short commit SHA of HEAD, the same abbreviation build-zip names the artifact with and the
     * workflows' `git rev-parse --short` gives (GitInfo); outside a checkout the first 7 of
     * GITHUB_SHA.
     */
    public static String defaultTag(Path workDir, Map<String, String> env) {
        GitInfo head = GitInfo.of(workDir, env);
        if (head.commit() != null) return head.shortCommit();
        String sha = env.get("GITHUB_SHA");
        if (sha != null && sha.matches("[0-9a-f]{7,40}")) return sha.substring(0, 7);
        throw PipelineException.prerequisite(
                "cannot determine the default tag: "
                        + workDir
                        + " is not a git checkout and GITHUB_SHA is not set; pass --tag TAG (or --name NAME)");
    }

    /**
     * now + days, with GITHUB_RETENTION_DAYS (the repository's setting) as the cap, as
     * actions/upload-artifact does; null = the service's default.
     */
    public static Instant expiresAt(Integer retentionDays, String repositoryMax, Instant now) {
        if (retentionDays == null) return null;
        if (retentionDays < 1 || retentionDays > 90) {
            throw PipelineException.usage(
                    "--retention-days " + retentionDays + " is out of range; give 1 to 90");
        }
        int days = retentionDays;
        if (repositoryMax != null && repositoryMax.matches("\\d+"))
            days = Math.min(days, Integer.parseInt(repositoryMax));
        return now.plus(Duration.ofDays(days));
    }
}
