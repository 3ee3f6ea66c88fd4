package scorerci.artifacts;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Lands a fully checked staged tree as --dest, all or nothing.
 *
 * <ul>
 *   <li>No --dest yet: one rename of the staged tree.
 *   <li>--dest exists: what it holds that the artifact does not replace is first linked into the
 *       staged tree (hard links: no copy, no second disk footprint; a plain copy where links are
 *       impossible), then --dest is renamed aside into the staging directory and the staged tree
 *       renamed in. If that second rename fails, the first is undone. A run killed between the two
 *       renames leaves the old tree in {@code <staging>/previous}; the next download restores it.
 * </ul>
 *
 * Either way no reader ever sees a half-written --dest, and until the swap --dest is untouched.
 */
final class DestinationSwap {
    static final String PREVIOUS = "previous";

    private DestinationSwap() {}

    /**
     * Links what --dest has (and the artifact does not replace) into the staged tree; may take a
     * while.
     */
    static void prepare(Path staged, Path dest) throws IOException {
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) keepExisting(dest, staged);
    }

    /**
     * The renames only (run them under {@link scorerci.core.TempFiles#landing}, so a SIGTERM cannot
     * split them).
     */
    static void swap(Path staged, Path dest, Path aside) throws IOException {
        if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(staged, dest, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Files.move(dest, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(staged, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.move(aside, dest, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
    }

    /** Links every entry of {@code dest} that {@code staged} does not have into {@code staged}. */
    private static void keepExisting(Path dest, Path staged) throws IOException {
        Files.walkFileTree(
                dest,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                            throws IOException {
                        if (dir.equals(dest)) return FileVisitResult.CONTINUE;
                        Path twin = staged.resolve(dest.relativize(dir).toString());
                        if (Files.exists(twin, LinkOption.NOFOLLOW_LINKS)) {
                            // the artifact has a file where --dest had a directory: the artifact
                            // wins
                            return Files.isDirectory(twin, LinkOption.NOFOLLOW_LINKS)
                                    ? FileVisitResult.CONTINUE
                                    : FileVisitResult.SKIP_SUBTREE;
                        }
                        Files.createDirectories(twin);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                            throws IOException {
                        Path twin = staged.resolve(dest.relativize(file).toString());
                        if (Files.exists(twin, LinkOption.NOFOLLOW_LINKS))
                            return FileVisitResult.CONTINUE; // replaced by the artifact
                        if (attrs.isRegularFile()) {
                            try {
                                Files.createLink(twin, file);
                                return FileVisitResult.CONTINUE;
                            } catch (IOException | UnsupportedOperationException e) {
                                // another file system or no hard links: copy below
                            }
                        }
                        Files.copy(
                                file,
                                twin,
                                LinkOption.NOFOLLOW_LINKS,
                                StandardCopyOption.COPY_ATTRIBUTES);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }
}
