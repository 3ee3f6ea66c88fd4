package scorerci.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import scorerci.core.PipelineException;
import scorerci.core.TempFiles;

/**
 * Writes a file through a temporary sibling and one rename, so readers see the old file or the new
 * one, never half of one, and a failure (including a check that rejects the new content) leaves the
 * old file untouched and no temporary file behind. The zip, its manifest and the toggled workflows
 * are all written this way.
 *
 * <p>Only a regular file (or nothing) is ever replaced: a symbolic link, a directory or a special
 * file (device, FIFO, socket) at the target is refused with USAGE before anything is written,
 * because renaming over it would silently turn {@code /dev/full} into a zip or cut a symlinked
 * workflow loose from the file it points to. The temporary file is tracked by {@link TempFiles}:
 * removed on SIGTERM/SIGINT, and swept by a later run after a SIGKILL.
 */
public final class AtomicFile {
    /** rw-r--r--: what a build output or a new file gets (a temporary file starts as 0600). */
    public static final Set<PosixFilePermission> READABLE =
            PosixFilePermissions.fromString("rw-r--r--");

    /**
     * Writes the new content into the temporary file (and may check it before it replaces the
     * target).
     */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temp) throws IOException;
    }

    private AtomicFile() {}

    /** The target's current mode, so an edit keeps it; {@link #READABLE} for a new file. */
    public static Set<PosixFilePermission> modeOf(Path target) {
        try {
            return Files.getPosixFilePermissions(target);
        } catch (UnsupportedOperationException | IOException newOrNotPosix) {
            return READABLE;
        }
    }

    /**
     * Refuses (USAGE) a target that exists and is not a regular file; the one rule for every output
     * path. Call it early, before expensive work, to fail fast.
     */
    public static void checkReplaceable(Path target) {
        if (Files.isSymbolicLink(target)) {
            throw PipelineException.usage(
                    target
                            + " is a symbolic link; refusing to replace it with a regular file:"
                            + " write to the file it points to, or remove the link");
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw PipelineException.usage(
                    target
                            + " is a directory; pass the path of a file to write (for example "
                            + target.resolve(target.getFileName() == null ? "out" : "bootstrap.zip")
                            + ")");
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw PipelineException.usage(
                    target
                            + " is a special file (device, FIFO or socket); refusing to replace it:"
                            + " pass the path of a regular file");
        }
    }

    public static void write(Path target, Set<PosixFilePermission> mode, Content content)
            throws IOException {
        checkReplaceable(target);
        Path temp = TempFiles.create(target);
        try {
            content.writeTo(temp);
            try {
                Files.setPosixFilePermissions(temp, mode);
            } catch (UnsupportedOperationException notPosix) {
                // non-POSIX file system: keep its default permissions
            }
            checkReplaceable(target); // nothing swapped in while we wrote
            try {
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            TempFiles.delete(temp);
        }
    }
}
