package scorerci.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import scorerci.process.ExternalProcess;

/**
 * Real ELF files for tests, compiled on the spot from tiny C programs with the machine's compilers:
 * aarch64-linux-gnu-gcc (Debian's cross gcc + libc 2.36) and gcc.
 */
public final class ElfFixtures {
    /**
     * Needs only old symbols: the cross libc gives it GLIBC_2.17 and the 2.34 __libc_start_main.
     */
    public static final String HELLO =
            """
            #include <stdio.h>
            int main(int argc, char **argv) { printf("hello %d\\n", argc); return 0; }
            """;

    /** arc4random appeared in glibc 2.36, so this needs GLIBC_2.36: too new for provided.al2023. */
    public static final String NEEDS_GLIBC_236 =
            """
            #include <stdlib.h>
            #include <stdio.h>
            int main(void) { printf("%u\\n", arc4random() & 1u); return 0; }
            """;

    private ElfFixtures() {}

    public static Path aarch64(Path dir, String name, String source, String... flags)
            throws IOException {
        return compile("aarch64-linux-gnu-gcc", dir, name, source, flags);
    }

    public static Path x86_64(Path dir, String name, String source, String... flags)
            throws IOException {
        return compile("gcc", dir, name, source, flags);
    }

    public static Path compile(
            String compiler, Path dir, String name, String source, String... flags)
            throws IOException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of(compiler, "-O1"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", out.toString(), c.toString()));
        ExternalProcess.Result result =
                ExternalProcess.of(command).timeout(Duration.ofMinutes(2)).run();
        if (!result.ok())
            throw new IllegalStateException(compiler + " failed:\n" + result.output());
        return out;
    }

    /** What binutils says, for cross-checking our reader: the GLIBC_ versions in `objdump -T`. */
    public static List<String> objdumpGlibcVersions(String objdump, Path binary) {
        ExternalProcess.Result result =
                ExternalProcess.of(objdump, "-p", binary.toString())
                        .timeout(Duration.ofMinutes(1))
                        .run();
        if (!result.ok()) throw new IllegalStateException(objdump + " failed:\n" + result.output());
        return result.output()
                .lines()
                .map(String::trim)
                .filter(l -> l.matches("0x[0-9a-f]+ 0x\\d+ \\d+ GLIBC_\\d+(\\.\\d+)+"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .distinct()
                .toList();
    }
}
