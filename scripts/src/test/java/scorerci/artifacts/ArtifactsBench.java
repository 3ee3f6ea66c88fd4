package scorerci.artifacts;

import scorerci.artifacts.store.LocalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import scorerci.fakes.ArtifactService;
import scorerci.process.ExternalProcess;

/**
 * The artifact benchmark (run it with scripts/bench/artifacts-bench.sh, not as a test): uploads and
 * downloads one payload through the loopback fake with our client (the real entry point,
 * {@code java -Xmx64m Pipeline upload-artifact|download-artifact}) and with the official
 * @actions/artifact client (node), alternating, in the same run; prints medians, throughput, the
 * ours/official ratio and peak RSS (GNU time). Then one memory run of ours at a larger size.
 *
 * Both sides are whole processes (JVM and node start-up included). The official upload uses
 * compressionLevel 0, as upload-artifact recommends for already-compressed files such as a zip;
 * ours stores the file (no compression) in the wrapper zip.
 *
 * Args: pipelineClasspath sizeMb runs bigMb workDir
 */
public final class ArtifactsBench {
    private ArtifactsBench() {}

    record Sample(double seconds, long rssKb) {}

    public static void main(String[] args) throws Exception {
        String classpath = args[0];
        long sizeMb = Long.parseLong(args[1]);
        int runs = Integer.parseInt(args[2]);
        long bigMb = Long.parseLong(args[3]);
        Path work = Path.of(args[4]).toAbsolutePath();
        Files.createDirectories(work);
        OfficialClient.install();

        try (ArtifactService service = ArtifactService.start()) {
            ArtifactService.Run run = service.newRun("bench/scorer", 1);
            ArtifactService.Job job = service.newJob(run);
            Path root = Files.createDirectories(work.resolve("payload"));
            Path payload = ArtifactFixtures.randomFile(root.resolve("bootstrap.zip"), sizeMb << 20, 1);
            Map<String, List<Sample>> samples = new HashMap<>();
            for (int i = 0; i < runs; i++) {
                add(samples, "ours upload", ours(classpath, service, job, work, "upload-artifact", "--name", "o" + i, "--file", payload.toString()));
                add(samples, "official upload", official(service, job, "upload", "t" + i, root.toString(), payload.toString(), "--level", "0"));
                add(samples, "ours download", ours(classpath, service, job, work, "download-artifact", "--name", "t" + i, "--no-verify",
                        "--dest", work.resolve("od" + i).toString()));
                add(samples, "official download", official(service, job, "download", "o" + i, work.resolve("td" + i).toString()));
                check(payload, work.resolve("od" + i + "/bootstrap.zip"));
                check(payload, work.resolve("td" + i + "/bootstrap.zip"));
                deleteTree(work.resolve("od" + i));
                deleteTree(work.resolve("td" + i));
            }
            System.out.printf(Locale.ROOT, "%nartifact benchmark: %d MiB payload, %d runs each, loopback fake, medians%n", sizeMb, runs);
            System.out.printf(Locale.ROOT, "%-10s %12s %10s %12s %10s %8s %14s %14s%n",
                    "op", "ours s", "ours MB/s", "official s", "off. MB/s", "ratio", "ours RSS MiB", "off. RSS MiB");
            for (String op : List.of("upload", "download")) {
                Sample o = median(samples.get("ours " + op));
                Sample t = median(samples.get("official " + op));
                System.out.printf(Locale.ROOT, "%-10s %12.2f %10.1f %12.2f %10.1f %8.2f %14.1f %14.1f%n", op,
                        o.seconds, sizeMb / o.seconds, t.seconds, sizeMb / t.seconds, t.seconds / o.seconds,
                        o.rssKb / 1024.0, t.rssKb / 1024.0);
            }
            System.out.println("ratio = official time / ours time (>= 1 means ours is at least as fast)");

            if (bigMb > 0) {
                Path big = ArtifactFixtures.randomFile(work.resolve("big/bootstrap.zip"), bigMb << 20, 2);
                deleteTree(root);
                Sample up = ours(classpath, service, job, work, "upload-artifact", "--name", "big", "--file", big.toString());
                Sample down = ours(classpath, service, job, work, "download-artifact", "--name", "big", "--no-verify",
                        "--dest", work.resolve("bigd").toString());
                check(big, work.resolve("bigd/bootstrap.zip"));
                System.out.printf(Locale.ROOT, "%nours with -Xmx64m, %d MiB: upload %.2f s (%.1f MB/s) peak RSS %.1f MiB;"
                                + " download %.2f s (%.1f MB/s) peak RSS %.1f MiB%n", bigMb,
                        up.seconds, bigMb / up.seconds, up.rssKb / 1024.0, down.seconds, bigMb / down.seconds, down.rssKb / 1024.0);
            }
        } finally {
            deleteTree(work);
        }
    }

    private static Sample ours(String classpath, ArtifactService service, ArtifactService.Job job, Path work, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "MAXRSS %M", "java", "-Xmx64m", "-cp", classpath, "Pipeline"));
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(job.env(service));
        env.put("GITHUB_ACTIONS", "true");
        return timed(ExternalProcess.of(command).in(work).env(env));
    }

    private static Sample official(ArtifactService service, ArtifactService.Job job, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "MAXRSS %M", "node", "peer.mjs"));
        command.addAll(List.of(args));
        ExternalProcess p = ExternalProcess.of(command).in(OfficialClient.DIR).env(job.env(service)).unsetEnv("GITHUB_SERVER_URL");
        return timed(p);
    }

    private static Sample timed(ExternalProcess p) {
        long start = System.nanoTime();
        ExternalProcess.Result r = p.timeout(java.time.Duration.ofMinutes(20)).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!r.ok()) throw new IllegalStateException("benchmark step failed:\n" + r.tail(30));
        long rss = r.output().lines().filter(l -> l.startsWith("MAXRSS ")).mapToLong(l -> Long.parseLong(l.substring(7).trim()))
                .findFirst().orElse(0);
        return new Sample(seconds, rss);
    }

    private static void add(Map<String, List<Sample>> samples, String key, Sample s) {
        samples.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        System.out.printf(Locale.ROOT, "%-18s %7.2f s  RSS %7.1f MiB%n", key, s.seconds, s.rssKb / 1024.0);
    }

    private static Sample median(List<Sample> list) {
        List<Double> t = list.stream().map(Sample::seconds).sorted().toList();
        List<Long> m = list.stream().map(Sample::rssKb).sorted().toList();
        return new Sample(t.get(t.size() / 2), m.get(m.size() - 1)); // median time, peak RSS
    }

    private static void check(Path expected, Path actual) throws IOException {
        if (Files.mismatch(expected, actual) != -1) throw new IllegalStateException(actual + " differs from " + expected);
    }

    private static void deleteTree(Path dir) {
        LocalStore.deleteTree(dir);
    }
}
