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

    /** The command that reads no zip and hashes nothing (the workflow files' test toggles). */
    private static final String NEEDS_NONE = "toggle-tests";

    /**
     * Whether the run will use what the warm-up prepares: not when it only prints help or the
     * version, nor for toggle-tests. There the thread would only compete with picocli for the
     * second core (--help took 0.180 s with it, 0.142 s without).
     */
    static boolean pays(String[] args) {
        if (args.length == 0 || args[0].equals(NEEDS_NONE)) return false;
        for (String arg : args) {
            if (arg.equals("--")) return true;
            if (List.of("-h", "--help", "-V", "--version").contains(arg)) return false;
        }
        return true;
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
