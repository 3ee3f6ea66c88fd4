package scorerci.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import scorerci.artifacts.store.LocalStore;
import scorerci.fakes.ArtifactService;
import scorerci.process.ExternalProcess;

/**
 * The artifact benchmark (run it with scripts/bench/artifacts-bench.sh, which documents it; not a
 * test): for each payload size, uploads and downloads one file through the loopback fake with ours
 * as users run it ({@code ./jbang upload-artifact@.|download-artifact@.}, from a snapshot of the
 * scripts: launcher, remembered command line and class-data archive included) and with the official
 *
 * @actions/artifact client (node), alternating, in the same run. Prints per-run figures, then
 *     medians of wall time, of CPU time (user+system) and of peak RSS (GNU time, per run),
 *     throughput in MiB/s, the official/ours ratios, and the load average before and after. Then
 *     one memory run of ours with -Xmx64m at a larger size.
 *     <p>Both sides are whole processes (JVM and node start-up included). One untimed warm-up of
 *     each operation per side first: the launcher records its class-data archive there
 *     (JBANG_LAUNCHER_CDS=sync), node fills the OS page cache. The official upload uses
 *     compressionLevel 0, as upload-artifact recommends for already-compressed files such as a zip;
 *     ours stores the file.
 *     <p>Args: SNAPSHOT_DIR SIZES_MIB(comma-separated) RUNS BIG_MIB WORK_DIR. Environment:
 *     BENCH_OURS_JAVA_OPTIONS, JVM options for ours (passed as JBANG_JAVA_OPTIONS), to compare
 *     flags.
 */
public final class ArtifactsBench {
    private ArtifactsBench() {}

    record Sample(double seconds, long rssKb, double cpuSeconds) {}

    public static void main(String[] args) throws Exception {
        Path snapshot = Path.of(args[0]).toAbsolutePath();
        long[] sizes = Arrays.stream(args[1].split(",")).mapToLong(Long::parseLong).toArray();
        int runs = Integer.parseInt(args[2]);
        long bigMb = Long.parseLong(args[3]);
        Path work = Path.of(args[4]).toAbsolutePath();
        Files.createDirectories(work);
        OfficialClient.install();
        String loadBefore = loadAverage();
        List<String> table = new ArrayList<>();

        try (ArtifactService service = ArtifactService.start()) {
            ArtifactService.Run run = service.newRun("bench/scorer", 1);
            ArtifactService.Job job = service.newJob(run);
            Bench bench = new Bench(snapshot, service, job, work);
            for (long sizeMb : sizes) {
                Path root = Files.createDirectories(work.resolve("payload-" + sizeMb));
                Path payload =
                        ArtifactFixtures.randomFile(root.resolve("bootstrap.zip"), sizeMb << 20, 1);
                Map<String, List<Sample>> samples = new HashMap<>();
                for (int i = -1; i < runs; i++) { // i = -1: warm-up, not counted
                    String id = sizeMb + "-" + (i < 0 ? "w" : String.valueOf(i));
                    Map<String, Sample> round = new HashMap<>();
                    round.put(
                            "ours upload",
                            bench.ours(
                                    "upload-artifact",
                                    "--name",
                                    "o" + id,
                                    "--file",
                                    payload.toString()));
                    round.put(
                            "official upload",
                            bench.official(
                                    "upload",
                                    "t" + id,
                                    root.toString(),
                                    payload.toString(),
                                    "--level",
                                    "0"));
                    round.put(
                            "ours download",
                            bench.ours(
                                    "download-artifact",
                                    "--name",
                                    "t" + id,
                                    "--no-verify",
                                    "--dest",
                                    work.resolve("od" + id).toString()));
                    round.put(
                            "official download",
                            bench.official(
                                    "download", "o" + id, work.resolve("td" + id).toString()));
                    check(payload, work.resolve("od" + id + "/bootstrap.zip"));
                    check(payload, work.resolve("td" + id + "/bootstrap.zip"));
                    LocalStore.deleteTree(work.resolve("od" + id));
                    LocalStore.deleteTree(work.resolve("td" + id));
                    for (String key :
                            List.of(
                                    "ours upload",
                                    "official upload",
                                    "ours download",
                                    "official download")) {
                        Sample s = round.get(key);
                        System.out.printf(
                                Locale.ROOT,
                                "%4d MiB %-18s %7.3f s  CPU %6.3f s  RSS %7.1f MiB%s%n",
                                sizeMb,
                                key,
                                s.seconds,
                                s.cpuSeconds,
                                s.rssKb / 1024.0,
                                i < 0 ? "  (warm-up)" : "");
                        if (i >= 0) samples.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                    }
                }
                for (String op : List.of("upload", "download")) {
                    Sample o = median(samples.get("ours " + op));
                    Sample t = median(samples.get("official " + op));
                    table.add(
                            String.format(
                                    Locale.ROOT,
                                    "%-8s %5d %9.3f %9.1f %9.3f %9.1f %7.2f %9.3f %9.3f %7.2f %9.1f %9.1f",
                                    op,
                                    sizeMb,
                                    o.seconds,
                                    sizeMb / o.seconds,
                                    t.seconds,
                                    sizeMb / t.seconds,
                                    t.seconds / o.seconds,
                                    o.cpuSeconds,
                                    t.cpuSeconds,
                                    t.cpuSeconds / o.cpuSeconds,
                                    o.rssKb / 1024.0,
                                    t.rssKb / 1024.0));
                }
                LocalStore.deleteTree(root);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nartifact benchmark: %d runs per cell after one warm-up, loopback fake, medians%n",
                    runs);
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %5s %9s %9s %9s %9s %7s %9s %9s %7s %9s %9s%n",
                    "op",
                    "MiB",
                    "ours s",
                    "MiB/s",
                    "offic. s",
                    "MiB/s",
                    "ratio",
                    "ours CPU",
                    "offic.CPU",
                    "ratio",
                    "ours RSS",
                    "offic.RSS");
            table.forEach(System.out::println);
            System.out.println(
                    "s = wall seconds; CPU = user+system seconds; ratio = official / ours (>= 1: ours at least as fast);"
                            + " RSS = median of the runs' peaks, MiB");
            System.out.println("load average before: " + loadBefore + "; after: " + loadAverage());

            if (bigMb > 0) {
                Path big =
                        ArtifactFixtures.randomFile(
                                work.resolve("big/bootstrap.zip"), bigMb << 20, 2);
                Bench small = bench.withJavaOptions("-Xmx64m");
                Sample up =
                        small.ours("upload-artifact", "--name", "big", "--file", big.toString());
                Sample down =
                        small.ours(
                                "download-artifact",
                                "--name",
                                "big",
                                "--no-verify",
                                "--dest",
                                work.resolve("bigd").toString());
                check(big, work.resolve("bigd/bootstrap.zip"));
                System.out.printf(
                        Locale.ROOT,
                        "%nours with -Xmx64m, %d MiB: upload %.2f s (%.1f MiB/s) peak RSS %.1f MiB;"
                                + " download %.2f s (%.1f MiB/s) peak RSS %.1f MiB%n",
                        bigMb,
                        up.seconds,
                        bigMb / up.seconds,
                        up.rssKb / 1024.0,
                        down.seconds,
                        bigMb / down.seconds,
                        down.rssKb / 1024.0);
            }
        } finally {
            LocalStore.deleteTree(work);
        }
    }

    /** How each side is started. */
    private record Bench(
            Path snapshot,
            ArtifactService service,
            ArtifactService.Job job,
            Path work,
            String javaOptions) {
        Bench(Path snapshot, ArtifactService service, ArtifactService.Job job, Path work) {
            this(
                    snapshot,
                    service,
                    job,
                    work,
                    System.getenv().getOrDefault("BENCH_OURS_JAVA_OPTIONS", ""));
        }

        Bench withJavaOptions(String options) {
            return new Bench(snapshot, service, job, work, (javaOptions + " " + options).strip());
        }

        Sample ours(String command, String... args) {
            List<String> line =
                    new ArrayList<>(
                            List.of(
                                    "/usr/bin/time",
                                    "-f",
                                    "MAXRSS %M CPU %U %S",
                                    snapshot.resolve("jbang").toString(),
                                    command + "@."));
            line.addAll(List.of(args));
            Map<String, String> env = new HashMap<>(job.env(service));
            env.put("GITHUB_ACTIONS", "true");
            env.put("JBANG_LAUNCHER_CDS", "sync");
            ExternalProcess p = ExternalProcess.of(line).in(snapshot).env(env);
            if (javaOptions.isEmpty()) p.unsetEnv("JBANG_JAVA_OPTIONS");
            else p.env("JBANG_JAVA_OPTIONS", javaOptions);
            return timed(p);
        }

        Sample official(String... args) {
            List<String> line =
                    new ArrayList<>(
                            List.of(
                                    "/usr/bin/time",
                                    "-f",
                                    "MAXRSS %M CPU %U %S",
                                    "node",
                                    "peer.mjs"));
            line.addAll(List.of(args));
            return timed(
                    ExternalProcess.of(line)
                            .in(OfficialClient.DIR)
                            .env(job.env(service))
                            .unsetEnv("GITHUB_SERVER_URL"));
        }
    }

    private static Sample timed(ExternalProcess p) {
        long start = System.nanoTime();
        ExternalProcess.Result r = p.timeout(Duration.ofMinutes(20)).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!r.ok()) throw new IllegalStateException("benchmark step failed:\n" + r.tail(30));
        String[] f =
                r.output()
                        .lines()
                        .filter(l -> l.startsWith("MAXRSS "))
                        .reduce((a, b) -> b)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no MAXRSS line from GNU time:\n" + r.tail(10)))
                        .split(" ");
        return new Sample(
                seconds, Long.parseLong(f[1]), Double.parseDouble(f[3]) + Double.parseDouble(f[4]));
    }

    /**
     * The median of each column separately (odd counts: the middle one; even: the upper middle).
     */
    private static Sample median(List<Sample> list) {
        List<Double> t = list.stream().map(Sample::seconds).sorted().toList();
        List<Long> m = list.stream().map(Sample::rssKb).sorted(Comparator.naturalOrder()).toList();
        List<Double> c = list.stream().map(Sample::cpuSeconds).sorted().toList();
        return new Sample(t.get(t.size() / 2), m.get(m.size() / 2), c.get(c.size() / 2));
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void check(Path expected, Path actual) throws IOException {
        if (Files.mismatch(expected, actual) != -1)
            throw new IllegalStateException(actual + " differs from " + expected);
    }
}
