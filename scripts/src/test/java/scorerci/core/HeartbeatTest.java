package scorerci.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
    final AtomicLong now = new AtomicLong(1_000);
    final StringWriter err = new StringWriter();

    Heartbeat heartbeat(Log.Level level) {
        Log log = new Log(new PrintWriter(new StringWriter()), new PrintWriter(err), level);
        return new Heartbeat(log, "cargo build", Duration.ofSeconds(15), now::get, false);
    }

    void advance(long seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void speaksAfterFifteenSilentSecondsWithElapsedTimeAndStatus() {
        Heartbeat hb = heartbeat(Log.Level.NORMAL);
        advance(14);
        assertThat(hb.tick()).isFalse();
        advance(1);
        hb.status("112/118 crates");
        assertThat(hb.tick()).isTrue();
        assertThat(err.toString())
                .isEqualTo(
                        "cargo build: still working, 15 s (112/118 crates)"
                                + System.lineSeparator());
        advance(80);
        assertThat(hb.tick()).isTrue();
        assertThat(err.toString())
                .endsWith(
                        "cargo build: still working, 1 min 35 s (112/118 crates)"
                                + System.lineSeparator());
    }

    @Test
    void aLineOfTheCallerPostponesIt() {
        Heartbeat hb = heartbeat(Log.Level.NORMAL);
        advance(10);
        hb.printed();
        advance(10);
        assertThat(hb.tick()).isFalse();
        advance(5);
        assertThat(hb.tick()).isTrue();
    }

    @Test
    void quietMeansNoHeartbeat() {
        Heartbeat hb = heartbeat(Log.Level.QUIET);
        advance(60);
        hb.tick();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theRealTimerFires() throws Exception {
        StringWriter out = new StringWriter();
        Log log =
                new Log(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(out),
                        Log.Level.NORMAL);
        try (Heartbeat hb = Heartbeat.start(log, "apt-get", Duration.ofMillis(200))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!out.toString().contains("apt-get: still working")
                    && System.nanoTime() < deadline) Thread.sleep(20);
        }
        assertThat(out.toString()).contains("apt-get: still working, 0 s");
    }
}
