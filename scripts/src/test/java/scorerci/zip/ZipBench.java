package scorerci.zip;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import scorerci.elf.GlibcVersion;
import scorerci.packaging.HostFacts;
import scorerci.packaging.Toolchain;
import scorerci.packaging.ToolchainProbe;
import scorerci.packaging.ToolchainResolver;
import scorerci.process.ExternalProcess;

/**
 * The build-zip benchmark (run it with scripts/bench/zip-bench.sh, which documents it).
 *
 * <p>1. Packaging + verification of a 20 MB aarch64 bootstrap (the scorer binary padded with real
 * aarch64 machine code from the cross libc and Rust std, so it compresses like a big binary) plus
 * the two includes: LambdaZipWriter.write + ZipVerifier.verify in one JVM, against `zip -X -6` (the
 * same deflate level) of the same files. Medians, ratio. 2. A no-change rerun of `./jbang
 * build-zip@.` (run from a snapshot of the scripts so edits in the tree cannot trigger a JBang
 * rebuild mid-benchmark) against cargo-lambda 1.9.2's no-change `cargo lambda build --release
 * --arm64 --output-format zip` (its own target dir) and cargo's own no-op build with build-zip's
 * toolchain, interleaved; also ours without the class-data archive and with jbang asked each time,
 * to show what the launcher's caches give.
 *
 * <p>Args: REPO SNAPSHOT_DIR WORK_DIR RUNS SIZE_MB [CARGO_LAMBDA_BIN_DIR]
 */
public final class ZipBench {
    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        Path snapshot = Path.of(args[1]);
        Path work = Path.of(args[2]);
        int runs = Integer.parseInt(args[3]);
        int sizeMb = Integer.parseInt(args[4]);
        String cargoLambdaBin = args.length > 5 ? args[5] : "";

        Path scorer = repo.resolve("scorer");
        Path binary = scorer.resolve("target/aarch64-unknown-linux-gnu/release/rust-scorer");
        if (!Files.isRegularFile(binary)) {
            System.err.println("build the scorer first: ./jbang build-zip@.");
            System.exit(3);
        }
        Path dir = Files.createDirectories(work.resolve("inputs"));
        Path bootstrap = dir.resolve("bootstrap");
        pad(binary, bootstrap, sizeMb * 1024L * 1024L);
        Files.copy(scorer.resolve("collector.yaml"), dir.resolve("collector.yaml"));
        Files.copy(scorer.resolve("weights.json"), dir.resolve("weights.json"));
        List<ZipInput> includes =
                List.of(
                        new ZipInput("collector.yaml", dir.resolve("collector.yaml")),
                        new ZipInput("weights.json", dir.resolve("weights.json")));
        ZipRules rules =
                ZipRules.defaults().withRequiredEntries(List.of("collector.yaml", "weights.json"));
        System.err.printf("bootstrap: %d bytes of aarch64 code%n", Files.size(bootstrap));

        // --- 1. packaging + verification vs zip -X -6
        List<Double> ours = new ArrayList<>();
        List<Double> zip = new ArrayList<>();
        double cold = 0;
        long ourSize = 0, zipSize = 0;
        for (int i = 0; i <= runs; i++) {
            Path out = work.resolve("ours.zip");
            long t0 = System.nanoTime();
            LambdaZipWriter.withDosEpoch().write(out, bootstrap, includes);
            VerifiedZip verified = ZipVerifier.verify(out, rules);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ourSize = verified.size();
            if (i == 0) cold = seconds;
            else ours.add(seconds);

            Path ref = work.resolve("ref.zip");
            Files.deleteIfExists(ref);
            long z0 = System.nanoTime();
            ExternalProcess.Result r =
                    ExternalProcess.of(
                                    "zip",
                                    "-X",
                                    "-6",
                                    "-q",
                                    ref.toString(),
                                    "bootstrap",
                                    "collector.yaml",
                                    "weights.json")
                            .in(dir)
                            .timeout(Duration.ofMinutes(5))
                            .run();
            double zipSeconds = (System.nanoTime() - z0) / 1e9;
            if (!r.ok()) throw new IllegalStateException("zip failed: " + r.output());
            zipSize = Files.size(ref);
            if (i > 0) zip.add(zipSeconds);
            System.err.printf("run %d: ours %.3f s, zip -X -6 %.3f s%n", i, seconds, zipSeconds);
        }

        // --- 2. no-change rerun of ./jbang build-zip@. vs cargo-lambda's and cargo's own no-op
        // builds
        Path out = work.resolve("rerun/bootstrap.zip");
        List<String> buildZip =
                List.of(
                        snapshot.resolve("jbang").toString(),
                        "build-zip@.",
                        "--crate",
                        scorer.toString(),
                        "--out",
                        out.toString(),
                        "--quiet");
        Map<String, String> sync = Map.of("JBANG_LAUNCHER_CDS", "sync");
        run(buildZip, snapshot, sync); // compiles the snapshot's scripts once, writes the zip
        run(buildZip, snapshot, sync); // remembers the command, records the class-data archive
        Map<String, String> env = System.getenv();
        Toolchain toolchain =
                new ToolchainResolver(
                                HostFacts.detect(env),
                                ToolchainProbe.of(env),
                                env,
                                GlibcVersion.parse(ZipRules.AL2023_GLIBC))
                        .resolve("auto")
                        .orElseThrow();
        List<String> cargo = toolchain.buildCommand("rust-scorer");
        List<String> cargoLambda =
                List.of(
                        "/usr/bin/cargo",
                        "lambda",
                        "build",
                        "--release",
                        "--arm64",
                        "--output-format",
                        "zip");
        Map<String, String> lambdaEnv =
                cargoLambdaBin.isEmpty()
                        ? Map.of()
                        : cargoLambdaEnv(cargoLambdaBin, repo.resolve("target-bench-zip"));
        if (!lambdaEnv.isEmpty()) {
            System.err.println(
                    "cargo-lambda: first build into "
                            + lambdaEnv.get("CARGO_TARGET_DIR")
                            + " (once; minutes)");
            run(cargoLambda, scorer, lambdaEnv);
        } else {
            System.err.println(
                    "cargo-lambda: not installed (scripts/tools/cargo-lambda.sh failed): compared with cargo only");
        }
        String loadBefore = loadAverage();
        List<Double> rerun = new ArrayList<>(),
                cargoNoop = new ArrayList<>(),
                lambdaNoop = new ArrayList<>(),
                uncached = new ArrayList<>(),
                noCds = new ArrayList<>();
        for (int i = 0; i < runs; i++) { // interleaved, so load changes hit every column alike
            rerun.add(run(buildZip, snapshot));
            if (!lambdaEnv.isEmpty()) lambdaNoop.add(run(cargoLambda, scorer, lambdaEnv));
            long c0 = System.nanoTime();
            ExternalProcess.Result r =
                    toolchain
                            .applyTo(
                                    ExternalProcess.of(cargo)
                                            .in(scorer)
                                            .timeout(Duration.ofMinutes(5)),
                                    env)
                            .run();
            if (!r.ok()) throw new IllegalStateException("cargo failed: " + r.tail(20));
            cargoNoop.add((System.nanoTime() - c0) / 1e9);
            noCds.add(run(buildZip, snapshot, Map.of("JBANG_LAUNCHER_CDS", "off")));
            uncached.add(run(buildZip, snapshot, Map.of("JBANG_LAUNCHER_NO_CACHE", "1")));
            System.err.printf(
                    "rerun %d: build-zip %.3f s, cargo-lambda %s, cargo no-op %.3f s, no AppCDS %.3f s, jbang asked %.3f s%n",
                    i,
                    rerun.get(i),
                    lambdaNoop.isEmpty() ? "-" : String.format("%.3f s", lambdaNoop.get(i)),
                    cargoNoop.get(i),
                    noCds.get(i),
                    uncached.get(i));
        }

        double oursMedian = median(ours), zipMedian = median(zip);
        double rerunMedian = median(rerun), cargoMedian = median(cargoNoop);
        System.out.printf(
                "zip benchmark: %d runs, %d MiB bootstrap, %d cores, medians%n",
                runs, sizeMb, Runtime.getRuntime().availableProcessors());
        System.out.printf(
                "  package+verify (in JVM)   median %.3f s  (first, cold JIT: %.3f s)  -> %d bytes%n",
                oursMedian, cold, ourSize);
        System.out.printf(
                "  zip -X -6                 median %.3f s  -> %d bytes%n", zipMedian, zipSize);
        System.out.printf(
                "  ratio ours/zip            %.2fx  (goal <= 1.2x)%n", oursMedian / zipMedian);
        System.out.printf(
                "  no-change rerun: ./jbang build-zip@.        median %.3f s%n", rerunMedian);
        if (!lambdaNoop.isEmpty()) {
            double lambdaMedian = median(lambdaNoop);
            System.out.printf(
                    "  no-change rerun: cargo lambda build (1.9.2)  median %.3f s   ratio cargo-lambda/ours %.2f (goal >= 1)%n",
                    lambdaMedian, lambdaMedian / rerunMedian);
        }
        System.out.printf(
                "  cargo's own no-op build                     median %.3f s  (%s); build-zip overhead %.3f s%n",
                cargoMedian, toolchain.route().cliName(), rerunMedian - cargoMedian);
        System.out.printf(
                "  the rerun without the class-data archive (JBANG_LAUNCHER_CDS=off): median %.3f s%n",
                median(noCds));
        System.out.printf(
                "  the rerun with jbang asked each time (JBANG_LAUNCHER_NO_CACHE=1): median %.3f s%n",
                median(uncached));
        System.out.printf("  load average before: %s; after: %s%n", loadBefore, loadAverage());
    }

    /**
     * cargo-lambda as toolchain.md §10 runs it: Debian's Rust (rustup's shims off PATH), its own
     * target dir and zig cache.
     */
    private static Map<String, String> cargoLambdaEnv(String bin, Path state) {
        String path =
                bin
                        + ":"
                        + java.util.Arrays.stream(
                                        System.getenv().getOrDefault("PATH", "").split(":"))
                                .filter(d -> !d.contains("/.cargo/bin"))
                                .collect(java.util.stream.Collectors.joining(":"));
        return Map.of(
                "PATH",
                path,
                "RUSTC",
                "/usr/bin/rustc",
                "CARGO",
                "/usr/bin/cargo",
                "CARGO_TARGET_DIR",
                state.resolve("cargo-lambda-target").toString(),
                "ZIG_GLOBAL_CACHE_DIR",
                state.resolve("zig-cache").toString());
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double run(List<String> command, Path dir) {
        return run(command, dir, Map.of());
    }

    private static double run(List<String> command, Path dir, Map<String, String> env) {
        long t0 = System.nanoTime();
        ExternalProcess.Result r =
                ExternalProcess.of(command).in(dir).env(env).timeout(Duration.ofMinutes(30)).run();
        if (!r.ok())
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + r.tail(30));
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * The binary, then real aarch64 code appended until the size is reached (the ELF headers stay
     * valid).
     */
    static void pad(Path binary, Path out, long size) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String dir :
                List.of(
                        "/usr/lib/rustlib/aarch64-unknown-linux-gnu/lib",
                        "/usr/aarch64-linux-gnu/lib")) {
            if (!Files.isDirectory(Path.of(dir))) continue;
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                files.filter(Files::isRegularFile).sorted().forEach(sources::add);
            }
        }
        sources.add(binary);
        try (OutputStream o = Files.newOutputStream(out)) {
            long written = 0;
            byte[] first = Files.readAllBytes(binary);
            o.write(first);
            written += first.length;
            for (int i = 0; written < size; i = (i + 1) % sources.size()) {
                byte[] chunk = Files.readAllBytes(sources.get(i));
                int n = (int) Math.min(chunk.length, size - written);
                o.write(chunk, 0, n);
                written += n;
            }
        }
        Files.setPosixFilePermissions(
                out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private ZipBench() {}
}
