package scorerci.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds build-machine paths left in a binary: the crate, target and CARGO_HOME directories and the
 * user's home. Any of them means the bytes depend on where the build ran (and the artifact tells
 * who built it). The sysroot is not searched: for the system route it is /usr, and strings such as
 * /usr/share/zoneinfo belong in the binary.
 */
public final class PathLeaks {
    private static final long MAX_BYTES = 512L << 20;

    private PathLeaks() {}

    /**
     * "$LABEL (path)" for each directory found in the file, in remap order; empty when path-free.
     */
    public static List<String> find(Path binary, List<RustFlags.Remap> remaps, String home)
            throws IOException {
        if (Files.size(binary) > MAX_BYTES) return List.of();
        byte[] content = Files.readAllBytes(binary);
        Map<String, String> needles = new LinkedHashMap<>();
        for (RustFlags.Remap r : remaps) {
            if (!r.label().equals("SYSROOT")) needles.putIfAbsent(r.from() + "/", "$" + r.label());
        }
        if (home != null && home.length() > 1)
            needles.putIfAbsent(Path.of(home).toAbsolutePath().normalize() + "/", "$HOME");
        List<String> found = new ArrayList<>();
        needles.forEach(
                (path, label) -> {
                    if (indexOf(content, path.getBytes(StandardCharsets.UTF_8)) >= 0)
                        found.add(label + " (" + path + ")");
                });
        return found;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++)
                if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
