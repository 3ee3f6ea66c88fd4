package scorerci.packaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import scorerci.core.BuildTag;
import scorerci.process.ExternalProcess;

/**
 * The commit being built, for the build tag and the manifest; commit null (and shortCommit "local")
 * outside a git checkout.
 */
public record GitInfo(String commit, String shortCommit) {
    public static final String NO_COMMIT = "local";

    /** The default build tag for this checkout: {@link BuildTag#defaultFor}'s one policy. */
    public BuildTag defaultTag(Map<String, String> env, Path where) {
        return BuildTag.defaultFor(
                commit == null ? null : shortCommit, env.get("GITHUB_SHA"), where);
    }

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
