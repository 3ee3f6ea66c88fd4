package scorerci.packaging;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scorerci.core.Heartbeat;
import scorerci.core.Log;

/**
 * Turns cargo's own progress bar into one compact line at most every few seconds ("cargo: 45/118
 * crates, 1 min 05 s (tokio, hyper)"); the heartbeat covers the silent stretches (the final LTO
 * link of the scorer takes minutes with nothing to count). Cargo draws its bar only on a terminal
 * unless told otherwise: {@link #ENVIRONMENT} asks for it on a pipe, where each redraw ends with a
 * carriage return, i.e. arrives here as a line. Cargo counts compile units: crates plus their build
 * scripts.
 */
final class CargoProgress {
    /** Makes cargo (and cargo-zigbuild's cargo) draw its progress bar although stderr is a pipe. */
    static final Map<String, String> ENVIRONMENT =
            Map.of("CARGO_TERM_PROGRESS_WHEN", "always", "CARGO_TERM_PROGRESS_WIDTH", "100");

    private static final Pattern BAR =
            Pattern.compile("^\\s*Building \\[[=> ]*\\]\\s+(\\d+)/(\\d+)(?::\\s*(.*?))?\\s*$");
    private static final long MIN_GAP_NANOS = 5_000_000_000L;

    private final Log log;
    private final Heartbeat heartbeat;
    private final java.util.function.LongSupplier clock;
    private long lastPrinted = Long.MIN_VALUE;
    private int lastDone = -1;

    CargoProgress(Log log, Heartbeat heartbeat, java.util.function.LongSupplier clock) {
        this.log = log;
        this.heartbeat = heartbeat;
        this.clock = clock;
    }

    /** Counts parsed from one progress-bar redraw, if the line is one. */
    record Bar(int done, int total, String building) {}

    static Optional<Bar> parse(String line) {
        Matcher m = BAR.matcher(line);
        if (!m.matches()) return Optional.empty();
        return Optional.of(
                new Bar(
                        Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        m.group(3) == null ? "" : m.group(3).trim()));
    }

    static boolean isBar(String line) {
        return BAR.matcher(line).matches();
    }

    /**
     * Feeds one line of cargo's output; prints the compact line when the count moved and 5 s
     * passed.
     */
    void accept(String line) {
        Optional<Bar> bar = parse(line);
        if (bar.isEmpty()) return;
        Bar b = bar.get();
        String status =
                b.done()
                        + "/"
                        + b.total()
                        + " crates"
                        + (b.building().isEmpty() ? "" : ", building " + shorten(b.building()));
        heartbeat.status(status);
        long now = clock.getAsLong();
        if (b.done() != lastDone
                && (lastPrinted == Long.MIN_VALUE || now - lastPrinted >= MIN_GAP_NANOS)) {
            lastDone = b.done();
            lastPrinted = now;
            log.progress(
                    "cargo: "
                            + b.done()
                            + "/"
                            + b.total()
                            + " crates, "
                            + Heartbeat.format(heartbeat.elapsed())
                            + (b.building().isEmpty() ? "" : " (" + shorten(b.building()) + ")"));
            heartbeat.printed();
        }
    }

    private static String shorten(String names) {
        return names.length() <= 60 ? names : names.substring(0, 57) + "...";
    }
}
