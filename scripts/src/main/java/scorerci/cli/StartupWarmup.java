package scorerci.cli;

import java.time.ZoneId;
import java.util.Calendar;
import java.util.List;
import scorerci.core.Digests;

/**
 * Initializes, on a second core, the JDK machinery a short command reaches only after picocli has
 * built its command model (some 50 ms in the interpreter): the default calendar and time zone
 * (commons-compress converts every zip entry's DOS time through them, about 20 ms the first time:
 * locale providers, CLDR data, the zone rules) and the SHA-256 provider (the security providers'
 * start-up). Class initialization is thread-safe, so the command either finds the work done or
 * waits for the part in progress; it never does it twice. The thread is a daemon: it never holds
 * the JVM's exit, and a command that needs none of this simply ends first.
 *
 * <p>What it touches is side-effect free (no file, no network, no output); scripts/bench/
 * start-bench.sh measures the gain.
 */
final class StartupWarmup {
    private StartupWarmup() {}

    /**
     * Whether the run only prints help or the version: then there is nothing to warm up, and the
     * thread would only compete with picocli for the second core.
     */
    static boolean onlyPrints(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) return false;
            if (List.of("-h", "--help", "-V", "--version").contains(arg)) return true;
        }
        return false;
    }

    static Thread start() {
        Thread thread = new Thread(StartupWarmup::warm, "startup-warmup");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void warm() {
        try {
            Calendar.getInstance().getTime();
            ZoneId.systemDefault().getRules();
            Digests.sha256();
        } catch (RuntimeException ignored) {
            // only a head start: the command meets the same failure itself, and reports it
        }
    }
}
