package scorerci.scorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scorerci.fakes.LambdaRuntimeApi;
import scorerci.process.ExternalProcess;
import scorerci.testing.BoundedProcess;

/**
 * Builds the scorer for this machine once per test JVM with rustup's cargo ({@code cargo build
 * --locked} in {@code scorer/}) and hands out the binary. The host build runs the same code as the
 * aarch64 {@code bootstrap}; the qemu run of the real zip belongs to the build-zip tests.
 */
final class HostScorer {
    static final Path CRATE = Path.of("scorer").toAbsolutePath();
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(15);
    private static Path binary;

    private HostScorer() {}

    static synchronized Path binary() {
        if (binary != null) return binary;
        if (!Files.isRegularFile(CRATE.resolve("Cargo.toml"))) {
            throw new IllegalStateException(
                    "run the tests from the repository root: no " + CRATE.resolve("Cargo.toml"));
        }
        ExternalProcess.Result build =
                ExternalProcess.of(cargo(), "build", "--locked", "--bin", "rust-scorer")
                        .in(CRATE)
                        // the system toolchain's rustc must not leak into rustup's cargo
                        // (toolchain.md §2)
                        .unsetEnv("RUSTC")
                        .unsetEnv("CARGO_TARGET_DIR")
                        .unsetEnv("CARGO_BUILD_TARGET")
                        .timeout(BUILD_LIMIT)
                        .run();
        if (!build.ok()) {
            throw new AssertionError(
                    "cargo build of the scorer failed (exit "
                            + build.exitCode()
                            + "):\n"
                            + build.tail(40));
        }
        Path built = CRATE.resolve("target/debug/rust-scorer");
        if (!Files.isExecutable(built))
            throw new AssertionError("cargo build succeeded but " + built + " is missing");
        binary = built;
        return binary;
    }

    /**
     * Starts the host binary as Lambda would: a clean environment from {@link
     * LambdaRuntimeApi#environment}, {@code LAMBDA_TASK_ROOT} = the crate directory (where {@code
     * weights.json} lives, as in the zip), plus {@code extraEnv}; killed after {@code limit} at the
     * latest.
     */
    static BoundedProcess start(
            LambdaRuntimeApi api, Map<String, String> extraEnv, Path log, Duration limit)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>(api.environment(CRATE));
        env.putAll(extraEnv);
        return BoundedProcess.start(List.of(binary().toString()), env, CRATE, log, limit);
    }

    /** rustup's cargo when installed (it comes with a host std), else whatever cargo is on PATH. */
    private static String cargo() {
        Path rustup = Path.of(System.getProperty("user.home"), ".cargo", "bin", "cargo");
        return Files.isExecutable(rustup) ? rustup.toString() : "cargo";
    }
}
