package scorerci.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Temporary files and staging directories that must not outlive the run that made them.
 *
 * <ul>
 *   <li>Named {@code .<base>.scorer-tmp-<pid>-<random>}: hidden, next to where the result lands (so
 *       the final rename stays on one file system), and carrying the owner's process id.
 *   <li>Tracked while alive: a JVM shutdown hook deletes them on SIGTERM/SIGINT (and on a normal
 *       exit that skipped its own clean-up); the owner {@link #release}s them once renamed into
 *       place or deleted.
 *   <li>Swept: a SIGKILL runs no hook, so before making a new one, {@link #create} and {@link
 *       #createDirectory} delete the siblings whose owner process is gone.
 * </ul>
 */
public final class TempFiles {
    static final String MARKER = ".scorer-tmp-";
    private static final Pattern OURS =
            Pattern.compile("^\\..*" + Pattern.quote(MARKER) + "(\\d+)-[A-Za-z0-9]+(\\.tmp)?$");
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();

    static {
        Thread hook = new Thread(TempFiles::deleteAll, "scorer-temp-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private TempFiles() {}

    /**
     * A new empty temporary file beside {@code target}, tracked; leftovers of dead runs there are
     * removed first.
     */
    public static Path create(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        sweep(dir);
        Path temp =
                Files.createTempFile(dir, "." + target.getFileName() + MARKER + PID + "-", ".tmp");
        LIVE.add(temp);
        return temp;
    }

    /**
     * A new empty staging directory in {@code dir} named after {@code base}, tracked; leftovers
     * swept first.
     */
    public static Path createDirectory(Path dir, String base) throws IOException {
        Files.createDirectories(dir);
        sweep(dir);
        Path temp = Files.createTempDirectory(dir, "." + base + MARKER + PID + "-");
        LIVE.add(temp);
        return temp;
    }

    /** Stops tracking (the path was renamed into place, or deleted by its owner). */
    public static void release(Path path) {
        LIVE.remove(path);
    }

    /** Deletes the file or tree and stops tracking it; never throws. */
    public static void delete(Path path) {
        if (path == null) return;
        deleteTree(path);
        LIVE.remove(path);
    }

    /**
     * Removes this directory's temporaries whose owning process no longer runs; returns how many.
     */
    public static int sweep(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Matcher m = OURS.matcher(p.getFileName().toString());
                if (!m.matches()) continue;
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    continue;
                deleteTree(p);
                removed++;
            }
        } catch (IOException | RuntimeException e) {
            // best effort: an unreadable directory fails later, where it is used
        }
        return removed;
    }

    /** Whether a name is one of ours (tests, listings that must skip staging). */
    public static boolean isTemporary(String fileName) {
        return OURS.matcher(fileName).matches();
    }

    /**
     * Held by the shutdown hook while it deletes, and by {@link #landing} while results are renamed
     * into place.
     */
    private static final Object LANDING = new Object();

    /** An action that renames results into place. */
    @FunctionalInterface
    public interface Landing {
        void run() throws IOException;
    }

    /**
     * Runs renames that must not be cut in half by the shutdown hook (e.g. moving --dest aside and
     * the staged tree in): a SIGTERM during them waits until they are done, then cleans up.
     */
    public static void landing(Landing renames) throws IOException {
        synchronized (LANDING) {
            renames.run();
        }
    }

    static void deleteAll() {
        synchronized (LANDING) {
            for (Path p : LIVE) deleteTree(p);
            LIVE.clear();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        for (int pass = 0;
                pass < 2;
                pass++) { // a second pass catches files a still-running writer added
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(
                                p -> {
                                    try {
                                        Files.deleteIfExists(p);
                                    } catch (IOException ignored) {
                                        // retried on the second pass
                                    }
                                });
            } catch (IOException | RuntimeException ignored) {
                // gone already, or unreadable: nothing more to do
            }
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        }
    }
}
