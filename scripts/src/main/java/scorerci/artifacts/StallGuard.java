package scorerci.artifacts;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a response stream that delivers nothing for longer than the limit, so a stalled
 * download fails (and is retried) instead of hanging; HttpClient's own timeout covers only the
 * wait for the response headers.
 */
final class StallGuard implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "artifact-stall-guard");
        t.setDaemon(true);
        return t;
    });

    private final long limitNanos;
    private volatile long lastProgress = System.nanoTime();
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final ScheduledFuture<?> check;

    StallGuard(Closeable stream, Duration limit) {
        this.limitNanos = limit.toNanos();
        long period = Math.max(100, Math.min(1000, limit.toMillis() / 4));
        this.check = TIMER.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastProgress > limitNanos && stalled.compareAndSet(false, true)) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // closing is the point; the reader sees the failure
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    void progress() {
        lastProgress = System.nanoTime();
    }

    boolean stalled() {
        return stalled.get();
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
