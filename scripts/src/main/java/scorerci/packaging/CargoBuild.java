package scorerci.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import scorerci.core.Actions;
import scorerci.core.Heartbeat;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;

/**
 * Runs the release build for aarch64 with build-zip's rustflags ({@link RustFlags}: path remaps,
 * target CPU, page size) added to the user's own. Cargo's output goes inside an Actions log group
 * and is shown line by line with --verbose or inside Actions; otherwise it is kept and only its
 * tail is shown when the build fails. Either way a compact count of built crates and a heartbeat at
 * least every 15 s say that it is working (CargoProgress).
 */
public final class CargoBuild {
    private static final int TAIL_LINES = 40;

    private CargoBuild() {}

    public static Path run(
            CargoPackage crate,
            Toolchain toolchain,
            RustFlags.Delivery flags,
            Map<String, String> env,
            Log log,
            Actions actions) {
        List<String> command = new java.util.ArrayList<>(toolchain.buildCommand(crate.bin()));
        command.addAll(toolchain.build().size(), flags.cargoArgs()); // right after the subcommand
        boolean show = log.verbose() || actions.inActions();
        log.progress(
                "building "
                        + crate.name()
                        + " "
                        + crate.version()
                        + " for "
                        + Toolchain.TRIPLE
                        + " with "
                        + toolchain.describe());
        ExternalProcess.Result result;
        try (Actions.Group group =
                        actions.group("cargo build (" + toolchain.route().cliName() + ")");
                Heartbeat heartbeat = Heartbeat.start(log, "cargo build")) {
            CargoProgress progress = new CargoProgress(log, heartbeat, System::nanoTime);
            ExternalProcess process =
                    ExternalProcess.of(command)
                            .in(crate.crateDir())
                            .timeout(Duration.ofMinutes(60))
                            .onLine(
                                    line -> {
                                        if (show && !CargoProgress.isBar(line)) {
                                            log.progress(line);
                                            heartbeat.printed();
                                        }
                                        progress.accept(line);
                                    });
            result =
                    toolchain
                            .applyTo(process, env)
                            .env(CargoProgress.ENVIRONMENT)
                            .env(flags.env())
                            .run();
            if (result.ok())
                log.progress("cargo: built in " + Heartbeat.format(heartbeat.elapsed()));
        }
        if (!result.ok()) {
            if (!show) log.progress(result.tail(TAIL_LINES));
            throw PipelineException.toolFailed(
                    "cargo build failed (exit "
                            + result.exitCode()
                            + ", "
                            + firstError(result)
                            + "): see cargo's output above; rerun with --verbose for all of it"
                            + hint(result, toolchain));
        }
        Path binary = crate.releaseBinary();
        if (!Files.isRegularFile(binary)) {
            throw PipelineException.toolFailed(
                    "cargo build succeeded but "
                            + binary
                            + " does not exist: is the binary"
                            + " target named "
                            + crate.bin()
                            + "?");
        }
        return binary;
    }

    private static String firstError(ExternalProcess.Result result) {
        return result.output()
                .lines()
                .map(String::trim)
                .filter(l -> l.startsWith("error"))
                .findFirst()
                .orElse("no error line")
                .replaceAll("\\s+", " ");
    }

    /** The rustup/system mix-up of toolchain.md §2 has a telltale message; name the fix. */
    private static String hint(ExternalProcess.Result result, Toolchain toolchain) {
        if (result.output().contains("E0463")
                || result.output().contains("target may not be installed")) {
            return "; the Rust in use has no aarch64 std: pass --toolchain system (Debian's libstd-rust-web-dev:arm64)"
                    + " or run `rustup target add "
                    + Toolchain.TRIPLE
                    + "`";
        }
        if (result.output().contains("linker `" + ToolchainResolver.CROSS_GCC + "` not found")) {
            return "; install the cross linker: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross";
        }
        return "";
    }
}
