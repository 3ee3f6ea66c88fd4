package scorerci.artifacts;

import java.time.Duration;
import java.time.Instant;
import scorerci.core.PipelineException;

/** An artifact's expiry, computed from --retention-days and the repository's setting. */
public final class ArtifactRetention {
    private ArtifactRetention() {}

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
