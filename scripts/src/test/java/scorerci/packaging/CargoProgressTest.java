package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import scorerci.core.Heartbeat;
import scorerci.core.Log;

class CargoProgressTest {
    /**
     * Recorded from cargo 1.95 with CARGO_TERM_PROGRESS_WHEN=always on a pipe (a crate depending on
     * serde_json); each redraw ended with a carriage return, which the line reader splits on.
     */
    static final List<String> RECORDED =
            List.of(
                    "   Compiling zmij v1.0.23",
                    "    Building [                            ] 0/12: zmij(build.rs)                                  ",
                    "   Compiling serde_core v1.0.229",
                    "    Building [=>                          ] 1/12: serde_core(build), zmij(build.rs)               ",
                    "    Building [===>                        ] 2/12: serde_core(build), zmij(build)                  ",
                    "    Building [====================>       ] 9/12: serde_core                                      ",
                    "    Building [=====================>     ] 10/12: serde_json                                      ",
                    "   Compiling cp-test v0.1.0 (/tmp/cp-test)",
                    "    Building [=======================>   ] 11/12: cp-test(bin)                                    ",
                    "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 26.92s");

    @Test
    void parsesCargosOwnBar() {
        assertThat(CargoProgress.parse(RECORDED.get(3)))
                .contains(new CargoProgress.Bar(1, 12, "serde_core(build), zmij(build.rs)"));
        assertThat(CargoProgress.parse(RECORDED.get(6)))
                .contains(new CargoProgress.Bar(10, 12, "serde_json"));
        assertThat(CargoProgress.parse(RECORDED.get(0))).isEmpty();
        assertThat(CargoProgress.parse(RECORDED.get(9))).isEmpty();
        assertThat(CargoProgress.isBar(RECORDED.get(8))).isTrue();
    }

    @Test
    void printsACompactLineAtMostEveryFiveSeconds() {
        AtomicLong now = new AtomicLong();
        StringWriter err = new StringWriter();
        Log log =
                new Log(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err),
                        Log.Level.NORMAL);
        try (Heartbeat hb = Heartbeat.start(log, "cargo build", Duration.ofHours(1))) {
            CargoProgress progress = new CargoProgress(log, hb, now::get);
            for (String line : RECORDED) {
                progress.accept(line);
                now.addAndGet(Duration.ofSeconds(2).toNanos());
            }
        }
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("cargo: 0/12 crates, ").endsWith("(zmij(build.rs))");
        assertThat(lines.get(1)).startsWith("cargo: 2/12 crates"); // 1/12 came 4 s after: skipped
        assertThat(lines.get(2)).startsWith("cargo: 11/12 crates"); // 9/12 and 10/12 too soon after
    }
}
