package scorerci.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A "still working" line for a long step that prints nothing by itself (cargo with its output kept
 * back, apt, pip): after {@code every} without a progress line it prints one with the step's status
 * and elapsed time, so that no user takes a cold build for a hang. Callers call {@link #printed()}
 * whenever they print their own progress line. Silent with --quiet (it goes through {@link
 * Log#progress}).
 */
public final class Heartbeat implements AutoCloseable {
    /**
     * 10 s, for the promise "never more than 15 s without a line": a starved JVM or a slow terminal
     * can delay a tick by seconds (the bare-machine check measured 16 s gaps at 15 s).
     */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Log log;
    private final String what;
    private final long everyNanos;
    private final LongSupplier clock;
    private final long started;
    private final ScheduledExecutorService timer;
    private volatile long lastLine;
    private volatile String status = "";

    Heartbeat(Log log, String what, Duration every, LongSupplier clock, boolean schedule) {
        this.log = log;
        this.what = what;
        this.everyNanos = every.toNanos();
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastLine = started;
        if (schedule) {
            timer =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "heartbeat: " + what);
                                t.setDaemon(true);
                                return t;
                            });
            long tick = Math.max(1, Math.min(1000, every.toMillis() / 5));
            timer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** Starts a heartbeat for {@code what} (e.g. "cargo build") at the default interval. */
    public static Heartbeat start(Log log, String what) {
        return start(log, what, DEFAULT_INTERVAL);
    }

    public static Heartbeat start(Log log, String what, Duration every) {
        return new Heartbeat(log, what, every, System::nanoTime, true);
    }

    /**
     * The caller printed a progress line itself: the next heartbeat is due a full interval later.
     */
    public void printed() {
        lastLine = clock.getAsLong();
    }

    /**
     * What the heartbeat line says besides the elapsed time, e.g. "112/118 crates, linking
     * rust-scorer".
     */
    public void status(String status) {
        this.status = status == null ? "" : status;
    }

    public Duration elapsed() {
        return Duration.ofNanos(clock.getAsLong() - started);
    }

    /** Prints the heartbeat line if the step has been silent for the interval; true if it did. */
    boolean tick() {
        long now = clock.getAsLong();
        if (now - lastLine < everyNanos) return false;
        lastLine = now;
        log.progress(
                what
                        + ": still working, "
                        + format(elapsed())
                        + (status.isEmpty() ? "" : " (" + status + ")"));
        return true;
    }

    /** "45 s", "3 min 05 s". */
    public static String format(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : String.format("%d min %02d s", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
