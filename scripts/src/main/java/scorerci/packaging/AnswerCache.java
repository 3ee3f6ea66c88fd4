package scorerci.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import scorerci.core.Digests;
import scorerci.files.AtomicFile;

/**
 * Remembered answers of child processes whose output depends only on files: toolchain versions and
 * `cargo metadata`. A no-change rebuild reads them instead of starting the processes (each costs
 * 20-100 ms of a 2-core machine). An answer is filed under the SHA-256 of its key: the question
 * (program, arguments, directory, the environment variables that matter) plus the identity of every
 * file the answer depends on, i.e. real path, size, modification and change time, device and inode.
 * Editing, replacing, creating or deleting any of them asks again; a change time cannot be set back
 * by hand, unlike a modification time.
 *
 * <p>Lives in ${XDG_CACHE_HOME:-~/.cache}/scorer-pipeline/answers; SCORER_ANSWER_CACHE=off disables
 * it. Reading is best effort (a missing or unreadable entry is a miss), writing is atomic and never
 * fails the build.
 */
public final class AnswerCache {
    static final String DISABLE_VARIABLE = "SCORER_ANSWER_CACHE";
    private final Path dir; // null: disabled

    private AnswerCache(Path dir) {
        this.dir = dir;
    }

    public static AnswerCache of(Map<String, String> env) {
        if ("off".equals(env.get(DISABLE_VARIABLE))) return new AnswerCache(null);
        String cache = env.get("XDG_CACHE_HOME");
        String home = env.get("HOME");
        Path base =
                cache != null && !cache.isBlank()
                        ? Path.of(cache)
                        : home != null && !home.isBlank() ? Path.of(home, ".cache") : null;
        return new AnswerCache(
                base == null ? null : base.resolve("scorer-pipeline").resolve("answers"));
    }

    static boolean isRustupProxy(Path program) {
        try {
            Path real = program.toRealPath();
            if (real.getFileName().toString().startsWith("rustup")) return true;
            Path rustup = program.resolveSibling("rustup");
            return Files.exists(rustup) && Files.isSameFile(rustup, program);
        } catch (IOException e) {
            return true;
        }
    }

    /** Starts the key of one question, e.g. {@code "cargo -V"}. */
    public Key key(String question) {
        return new Key(question);
    }

    /** What an answer depends on; add every input, then ask. */
    public final class Key {
        private final StringBuilder text = new StringBuilder("answer v1\n");
        private boolean cacheable = dir != null;

        private Key(String question) {
            text.append("question ").append(question).append('\n');
        }

        public Key text(String name, String value) {
            text.append(name).append(' ').append(value).append('\n');
            return this;
        }

        /**
         * The variables whose names start with one of the prefixes (sorted, so order does not
         * matter).
         */
        public Key env(Map<String, String> env, String... prefixes) {
            Map<String, String> picked = new TreeMap<>();
            env.forEach(
                    (k, v) -> {
                        for (String prefix : prefixes) if (k.startsWith(prefix)) picked.put(k, v);
                    });
            picked.forEach((k, v) -> text("env " + k, v));
            return this;
        }

        /** The file's identity, or that it is missing (its later creation then asks again). */
        public Key file(Path file) {
            text.append("file ").append(file.toAbsolutePath().normalize()).append(' ');
            try {
                Path real = file.toRealPath();
                Map<String, Object> a =
                        Files.readAttributes(real, "unix:size,lastModifiedTime,ctime,dev,ino");
                text.append(real)
                        .append(' ')
                        .append(a.get("size"))
                        .append(' ')
                        .append(a.get("lastModifiedTime"))
                        .append(' ')
                        .append(a.get("ctime"))
                        .append(' ')
                        .append(a.get("dev"))
                        .append(' ')
                        .append(a.get("ino"));
            } catch (IOException
                    | UnsupportedOperationException
                    | IllegalArgumentException missingOrNotUnix) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS))
                    cacheable = false; // there but unreadable: never cache
                text.append("missing");
            }
            text.append('\n');
            return this;
        }

        /**
         * The program as PATH in {@code env} resolves it, by identity. A rustup proxy (cargo, rustc
         * hard-linked to rustup) answers for whichever toolchain rustup picks, which no file here
         * shows: such answers are not remembered; nor when the program is not found.
         */
        public Key program(String program, Map<String, String> env) {
            Path found = scorerci.process.ExternalProcess.locate(program, env);
            if (found == null || isRustupProxy(found)) cacheable = false;
            return found == null ? text("program " + program, "not found") : file(found);
        }

        /** For answers that depend on state no file here shows. */
        public Key uncacheable() {
            cacheable = false;
            return this;
        }

        /**
         * The remembered answer, or {@code ask}'s, remembered when it is not null (null: a failure,
         * which is asked again next time).
         */
        public String answer(Supplier<String> ask) {
            if (!cacheable) return ask.get();
            Path entry =
                    dir.resolve(
                            Digests.hex(
                                    Digests.sha256()
                                            .digest(
                                                    text.toString()
                                                            .getBytes(StandardCharsets.UTF_8))));
            try {
                return Files.readString(entry, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException miss) {
                // not remembered yet (or unreadable): ask
            }
            String answer = ask.get();
            if (answer != null) {
                try {
                    AtomicFile.write(
                            entry,
                            AtomicFile.READABLE,
                            temp -> Files.writeString(temp, answer, StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException notWritable) {
                    // a read-only or full cache only costs the next run the same process
                }
            }
            return answer;
        }
    }
}
