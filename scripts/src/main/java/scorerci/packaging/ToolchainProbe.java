package scorerci.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import scorerci.process.ExternalProcess;

/**
 * Looks at the machine for toolchain pieces. An interface so that the route choice can be tested
 * for hosts we are not on (an aarch64 runner with glibc 2.39, a bare x86_64 box).
 */
public interface ToolchainProbe {
    boolean exists(Path path);

    /** The program's path if it is on PATH (or the path itself is executable), else null. */
    Path onPath(String program);

    /** True if `rustup target list --installed` names the target. */
    boolean rustupHasTarget(String triple);

    static ToolchainProbe of(Map<String, String> env) {
        return new ToolchainProbe() {
            @Override
            public boolean exists(Path path) {
                return Files.exists(path);
            }

            @Override
            public Path onPath(String program) {
                return ExternalProcess.locate(program, env);
            }

            @Override
            public boolean rustupHasTarget(String triple) {
                Path rustup = onPath("rustup");
                if (rustup == null) return false;
                ExternalProcess.Result result =
                        ExternalProcess.of(rustup.toString(), "target", "list", "--installed")
                                .env(env)
                                .timeout(Duration.ofSeconds(60))
                                .run();
                return result.ok()
                        && result.output().lines().anyMatch(l -> l.trim().equals(triple));
            }
        };
    }
}
