package scorerci.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import scorerci.elf.GlibcVersion;
import scorerci.process.ExternalProcess;

/**
 * The build machine as far as choosing a toolchain goes: CPU architecture, its own glibc (a native
 * build links against it) and whether we may install packages.
 *
 * @param arch "x86_64" or "aarch64" (uname spelling)
 * @param glibc the host's glibc (probed on aarch64 hosts only), null if unknown
 * @param root running as uid 0 (may run apt-get)
 */
public record HostFacts(String arch, GlibcVersion glibc, boolean root) {
    public boolean isAarch64() {
        return arch.equals("aarch64");
    }

    public static HostFacts detect(Map<String, String> env) {
        String arch = normalizeArch(System.getProperty("os.arch", ""));
        // only a native aarch64 build links against the host's glibc; skip the probe elsewhere
        return new HostFacts(arch, arch.equals("aarch64") ? hostGlibc(env) : null, isRoot());
    }

    static String normalizeArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch;
        };
    }

    private static GlibcVersion hostGlibc(Map<String, String> env) {
        if (!ExternalProcess.onPath("getconf", env)) return null;
        try {
            ExternalProcess.Result result =
                    ExternalProcess.of("getconf", "GNU_LIBC_VERSION")
                            .timeout(Duration.ofSeconds(10))
                            .run();
            // "glibc 2.36"
            String text = result.output().trim();
            return result.ok()
                    ? GlibcVersion.parseOrNull(text.substring(text.lastIndexOf(' ') + 1))
                    : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
