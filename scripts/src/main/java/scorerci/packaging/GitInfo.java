package scorerci.packaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import scorerci.process.ExternalProcess;

/**
 * The commit being built, for the artifact name and the manifest; "local" outside a git checkout.
 */
public record GitInfo(String commit, String shortCommit) {
    public static final String NO_COMMIT = "local";

    public static GitInfo of(Path dir, Map<String, String> env) {
        if (!ExternalProcess.onPath("git", env)) return new GitInfo(null, NO_COMMIT);
        try {
            // one process for both forms: %h is the same unique abbreviation `rev-parse --short`
            // gives
            ExternalProcess.Result head =
                    ExternalProcess.of("git", "log", "-1", "--format=%H %h")
                            .in(dir)
                            .env(env)
                            .timeout(Duration.ofSeconds(20))
                            .run();
            String[] ids = head.output().trim().split(" ");
            if (!head.ok() || ids.length != 2 || !ids[0].matches("[0-9a-f]{40,64}"))
                return new GitInfo(null, NO_COMMIT);
            return new GitInfo(ids[0], ids[1]);
        } catch (RuntimeException e) {
            return new GitInfo(null, NO_COMMIT);
        }
    }
}
