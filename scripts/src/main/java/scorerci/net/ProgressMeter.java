package scorerci.net;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import scorerci.core.Log;

/**
 * Counts transferred bytes from any thread and prints one progress line (stderr) at most once per
 * interval, so a 1 GB transfer gives a handful of lines rather than thousands.
 */
public final class ProgressMeter {
    private final Log log;
    private final String label;
    private final long total;
    private final long intervalNanos;
    private final long started = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastPrinted = new AtomicLong(System.nanoTime());

    /**
     * @param total expected bytes, or -1 when unknown
     */
    /** How often transfers report progress: SCORER_PROGRESS_INTERVAL_MS (tests), else every 5 s. */
    public static Duration interval(java.util.function.Function<String, String> env) {
        String ms = env.apply("SCORER_PROGRESS_INTERVAL_MS");
        return ms != null && ms.matches("\\d+")
                ? Duration.ofMillis(Long.parseLong(ms))
                : Duration.ofSeconds(5);
    }

    public ProgressMeter(Log log, String label, long total, Duration interval) {
        this.log = log;
        this.label = label;
        this.total = total;
        this.intervalNanos = interval.toNanos();
    }

    public static ProgressMeter silent() {
        return new ProgressMeter(Log.silent(), "", -1, Duration.ofDays(1));
    }

    public void add(long bytes) {
        long now = done.addAndGet(bytes);
        long t = System.nanoTime();
        long last = lastPrinted.get();
        if (bytes > 0 && t - last >= intervalNanos && lastPrinted.compareAndSet(last, t)) {
            log.progress(line(now, t));
        }
    }

    public long bytes() {
        return done.get();
    }

    /** Bytes per second since the meter started. */
    public double rate() {
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        return done.get() / seconds;
    }

    private String line(long now, long t) {
        double seconds = Math.max(1e-9, (t - started) / 1e9);
        String of =
                total > 0
                        ? String.format(Locale.ROOT, " of %s (%d%%)", mib(total), now * 100 / total)
                        : "";
        return String.format(
                Locale.ROOT,
                "%s: %s%s, %.1f MiB/s",
                label,
                mib(now),
                of,
                now / seconds / (1 << 20));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
