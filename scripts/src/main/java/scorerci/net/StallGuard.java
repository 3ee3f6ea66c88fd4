package scorerci.net;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response stream that breaks the {@link Deadlines} while it is read, so a bad peer fails
 * the attempt (which is then retried or reported) instead of hanging: nothing for longer than the
 * stall limit, fewer than {@code minBytesPerSecond} over a stall-long window (a trickle), or the
 * operation's deadline passed (an endless body that keeps the rate up). HttpClient's own timeout
 * covers only the wait for the response headers.
 */
final class StallGuard implements AutoCloseable {
    private static final ScheduledExecutorService TIMER =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "artifact-stall-guard");
                        t.setDaemon(true);
                        return t;
                    });

    private final long limitNanos;
    private final long minBytesPerSecond;
    private final long deadlineNanos;
    private volatile long lastProgress = System.nanoTime();
    private volatile long windowStart = lastProgress;
    private volatile long windowBytes;
    private volatile String failure;
    private final Closeable stream;
    private final ScheduledFuture<?> check;

    /**
     * @param deadlineNanos System.nanoTime() value after which the stream is closed whatever its
     *     rate
     */
    StallGuard(Closeable stream, Duration limit, long minBytesPerSecond, long deadlineNanos) {
        this.stream = stream;
        this.limitNanos = limit.toNanos();
        this.minBytesPerSecond = minBytesPerSecond;
        this.deadlineNanos = deadlineNanos;
        long period = Math.max(20, Math.min(1000, limit.toMillis() / 4));
        this.check = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    StallGuard(Closeable stream, Duration limit) {
        this(stream, limit, 0, Long.MAX_VALUE);
    }

    private void check() {
        long now = System.nanoTime();
        String why = null;
        if (now - lastProgress > limitNanos) {
            why = "no data for " + seconds(now - lastProgress) + " s";
        } else if (now - deadlineNanos > 0) {
            why = "the operation's deadline passed while the body was still arriving";
        } else if (minBytesPerSecond > 0 && now - windowStart >= limitNanos) {
            double rate = windowBytes / ((now - windowStart) / 1e9);
            if (windowBytes == 0) {
                why = "no data for " + seconds(now - windowStart) + " s";
            } else if (rate < minBytesPerSecond) {
                why =
                        String.format(
                                java.util.Locale.ROOT,
                                "the body arrives at %.0f bytes/s, below the minimum of %d bytes/s",
                                rate,
                                minBytesPerSecond);
            } else {
                windowStart = now;
                windowBytes = 0;
            }
        }
        if (why != null && failure == null) {
            failure = why;
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing is the point; the reader sees the failure
            }
            if (check != null) check.cancel(false);
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }

    void progress(int bytes) {
        lastProgress = System.nanoTime();
        windowBytes += bytes;
    }

    void progress() {
        progress(0);
    }

    boolean stalled() {
        return failure != null;
    }

    /** Why the stream was closed, or null. */
    String failure() {
        return failure;
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
