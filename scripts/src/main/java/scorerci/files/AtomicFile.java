package scorerci.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file through a temporary sibling and one rename, so readers see the old file or the
 * new one, never half of one, and a failure (including a check that rejects the new content)
 * leaves the old file untouched and no temporary file behind. The zip, its manifest and the
 * toggled workflows are all written this way.
 */
public final class AtomicFile {
    /** rw-r--r--: what a build output or a new file gets (a temporary file starts as 0600). */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    /** Writes the new content into the temporary file (and may check it before it replaces the target). */
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

    public static void write(Path target, Set<PosixFilePermission> mode, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            content.writeTo(temp);
            try {
                Files.setPosixFilePermissions(temp, mode);
            } catch (UnsupportedOperationException notPosix) {
                // non-POSIX file system: keep its default permissions
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
