package scorerci.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import scorerci.fakes.AlbEvents;
import scorerci.fakes.LambdaRuntimeApi;
import scorerci.process.ExternalProcess;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * Cold-start proxy (issue 15 item 3), run by scripts/bench/coldstart-bench.sh: for each zip, unpack
 * it as Lambda does, then repeatedly start its bootstrap under qemu-aarch64-static against the fake
 * Runtime API with a GET /health event already queued, and time process start → the 200 answer
 * posted back. Zips are run interleaved (a, b, a, b, …) so machine load hits both alike; medians
 * are printed with the ratio to the first zip (theirs / ours: above 1 means the first starts
 * faster), bootstrap sizes and glibc floors.
 *
 * <p>A proxy only: qemu translates every instruction, so absolute times say little about Graviton;
 * what it measures is the work until the first answer (loading, relocations, runtime set-up, one
 * request).
 *
 * <p>Arguments: RUNS LABEL=ZIP [LABEL=ZIP ...]
 */
public final class ColdStartBench {
    private ColdStartBench() {}

    record Subject(String label, Path zip, Path task, VerifiedZip facts, List<Double> millis) {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        List<Subject> subjects = new ArrayList<>();
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            String label = arg.substring(0, arg.indexOf('='));
            Path zip = Path.of(arg.substring(arg.indexOf('=') + 1)).toAbsolutePath();
            Path task = Files.createTempDirectory("coldstart-" + label + "-");
            if (!ExternalProcess.of("unzip", "-q", zip.toString(), "-d", task.toString())
                    .run()
                    .ok()) {
                throw new IllegalStateException("cannot unzip " + zip);
            }
            subjects.add(
                    new Subject(
                            label,
                            zip,
                            task,
                            ZipVerifier.verify(zip, ZipRules.defaults()),
                            new ArrayList<>()));
        }
        for (Subject s : subjects) once(s); // warm the page cache and qemu's own start; not counted
        for (int i = 0; i < runs; i++) {
            for (Subject s : subjects) {
                double ms = once(s);
                s.millis().add(ms);
                System.err.printf(Locale.ROOT, "run %d %-12s %8.1f ms%n", i + 1, s.label(), ms);
            }
        }
        double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        double base = median(subjects.get(0).millis());
        System.out.printf(
                Locale.ROOT,
                "cold start to first /health answer under qemu (median of %d, load average %.2f)%n",
                runs,
                load);
        System.out.printf(
                Locale.ROOT,
                "%-12s %12s %14s %10s %8s%n",
                "zip",
                "median ms",
                "bootstrap B",
                "glibc",
                "ratio");
        for (Subject s : subjects) {
            double m = median(s.millis());
            long size = Files.size(s.task().resolve("bootstrap"));
            System.out.printf(
                    Locale.ROOT,
                    "%-12s %12.1f %14d %10s %8.2f%n",
                    s.label(),
                    m,
                    size,
                    s.facts().highestGlibc(),
                    m / base);
        }
        for (Subject s : subjects) ExternalProcess.of("rm", "-rf", s.task().toString()).run();
    }

    /** One cold start: ms from process start to the /health response arriving at the fake. */
    static double once(Subject s) throws Exception {
        try (LambdaRuntimeApi api = LambdaRuntimeApi.start()) {
            CompletableFuture<LambdaRuntimeApi.Invocation> health = api.invoke(AlbEvents.health());
            ProcessBuilder builder =
                    new ProcessBuilder(
                                    "qemu-aarch64-static",
                                    "-L",
                                    "/usr/aarch64-linux-gnu",
                                    s.task().resolve("bootstrap").toString())
                            .directory(s.task().toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            builder.environment().putAll(api.environment(s.task()));
            long start = System.nanoTime();
            Process bootstrap = builder.start();
            try {
                AlbEvents.Response response = AlbEvents.response(health.get(120, TimeUnit.SECONDS));
                long end = System.nanoTime();
                if (response.statusCode() != 200)
                    throw new IllegalStateException(
                            s.label() + ": /health gave " + response.statusCode());
                return (end - start) / 1e6;
            } finally {
                bootstrap.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
