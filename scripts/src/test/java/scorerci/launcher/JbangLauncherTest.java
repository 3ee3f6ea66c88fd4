package scorerci.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's ./jbang launcher as a user runs it, from a FRESH launcher cache and JBANG_DIR,
 * forced onto the bootstrap path (JBANG_LAUNCHER_FORCE_BOOTSTRAP=1) even if a jbang is on PATH: it
 * fetches the pinned jbang-cli with mvn, then follows the exit-255 exec convention. Checked: the
 * real catalog's aliases, an argument with spaces, a script's exit code, stdin. A throwaway catalog
 * in a temp dir holds a tiny echo script, so the real catalog gets no test aliases. Then the
 * class-data archive (AppCDS) the launcher records: mapped on later runs, ignored when broken, one
 * per script version, safe under concurrent first runs, written in the background by default.
 */
@Tag("slow") // fetches JBang into a fresh cache and compiles through it: not in
// scripts/run-tests.sh --fast
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JbangLauncherTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path LAUNCHER = REPO.resolve("jbang");

    @TempDir static Path home;
    static Path cache;
    static Path jbangDir;
    static Path echoCatalog;

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void freshDirectories() throws IOException {
        cache = Files.createDirectory(home.resolve("launcher cache")); // a space in the path, too
        jbangDir = Files.createDirectory(home.resolve("jbang-dir"));
        echoCatalog = Files.createDirectory(home.resolve("echo catalog"));
        Files.writeString(
                echoCatalog.resolve("jbang-catalog.json"),
                """
                {"aliases": {"echo-args": {"script-ref": "EchoArgs.java", "description": "test only: echo arguments and stdin"}}}
                """);
        Files.writeString(
                echoCatalog.resolve("EchoArgs.java"),
                """
                import java.nio.charset.StandardCharsets;
                public class EchoArgs {
                    public static void main(String[] args) throws Exception {
                        for (String a : args) System.out.println("[" + a + "]");
                        String in = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                        System.out.println("stdin=" + in.strip());
                        System.exit(args.length > 0 && args[0].startsWith("exit=") ? Integer.parseInt(args[0].substring(5)) : 0);
                    }
                }
                """);
    }

    private static Run launch(
            Path workDir, String stdin, Map<String, String> extraEnv, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = builder.environment();
        env.put("JBANG_LAUNCHER_CACHE", cache.toString());
        env.put("JBANG_DIR", jbangDir.toString());
        env.put("JBANG_LAUNCHER_FORCE_BOOTSTRAP", "1");
        env.put("NO_COLOR", "1");
        env.put(
                "JBANG_LAUNCHER_CDS",
                "sync"); // archive before exiting: no writer outlives the test
        env.remove("GITHUB_ACTIONS");
        env.remove("JBANG_JAVA_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.putAll(extraEnv);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("./jbang " + String.join(" ", args) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    @Order(1)
    void aFreshCacheBootstrapsJbangAndTheAliasShowsItsHelp() throws Exception {
        Run help = launch(REPO, "", Map.of(), "build-zip@.", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out())
                .contains("Usage: jbang build-zip@.")
                .contains("--toolchain")
                .contains("--max-glibc");
        assertThat(help.err()).contains("[jbang launcher] fetching dev.jbang:jbang-cli");
        assertThat(cache.resolve("0.132.1/.complete")).exists();
        try (var jars = Files.list(cache.resolve("0.132.1/lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("jbang-cli-"))
                    .anyMatch(n -> n.startsWith("gson-2.13"));
        }
        try (var left = Files.list(cache)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no partial caches left")
                    .containsExactly("0.132.1");
        }

        Run again = launch(REPO, "", Map.of(), "verify-zip@.", "--help");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.err()).as("fetched once").doesNotContain("fetching");
        assertThat(again.out()).contains("Usage: jbang verify-zip@.");
    }

    @Test
    @Order(2)
    void theRealBuildRunsThroughTheLauncherIntoAPathWithSpaces() throws Exception {
        Path zip = home.resolve("build out/bootstrap.zip");
        Run run =
                launch(
                        REPO,
                        "",
                        Map.of(),
                        "build-zip@.",
                        "--out",
                        zip.toString(),
                        "--tag",
                        "launcher",
                        "--quiet");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("zip:          " + zip)
                .contains("artifact:     rust-scorer-launcher.zip");
        assertThat(zip).exists();
        assertThat(zip.resolveSibling("bootstrap.zip.json")).exists();
        Run verify =
                launch(
                        REPO,
                        "",
                        Map.of(),
                        "verify-zip@.",
                        zip.toString(),
                        "--require",
                        "weights.json");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
    }

    @Test
    @Order(3)
    void anArgumentWithSpacesReachesTheRealCommandIntactAndItsExitCodePropagates()
            throws Exception {
        Path missing = home.resolve("a dir with  spaces/boot strap.zip");
        Run run = launch(REPO, "", Map.of(), "verify-zip@.", missing.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(8); // NOT_FOUND, from the script
        assertThat(run.err()).contains("error: " + missing + " does not exist");
    }

    @Test
    @Order(4)
    void argumentsStdinAndExitCodesPassThroughTheExecConvention() throws Exception {
        // an empty argument too: jbang 0.132.1 prints it unquoted in its exec line (it vanishes
        // with
        // the official launcher); this launcher appends the arguments as they arrived
        for (int pass = 0; pass < 2; pass++) { // through jbang, then from the remembered command
            Run run =
                    launch(
                            echoCatalog,
                            "line from stdin\n",
                            Map.of(),
                            "echo-args@.",
                            "exit=7",
                            "two words",
                            "quote'\"$HOME",
                            "*",
                            "",
                            "  leading and trailing  ");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
            assertThat(run.out())
                    .isEqualTo(
                            "[exit=7]\n[two words]\n[quote'\"$HOME]\n[*]\n[]\n[  leading and trailing  ]\nstdin=line from stdin\n");
        }
    }

    @Test
    @Order(5)
    void aJbangOnPathIsUsedUnlessBootstrapIsForced() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path fake = bin.resolve("jbang");
        Files.writeString(fake, "#!/bin/sh\necho \"fake jbang $*\"\nexit 42\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));

        env.put("JBANG_LAUNCHER_FORCE_BOOTSTRAP", "");
        Run delegated = launch(echoCatalog, "", env, "echo-args@.", "x y");
        assertThat(delegated.exitCode()).isEqualTo(42);
        assertThat(delegated.out()).isEqualTo("fake jbang echo-args@. x y\n");

        env.put("JBANG_LAUNCHER_FORCE_BOOTSTRAP", "1");
        Run forced = launch(echoCatalog, "", env, "echo-args@.", "x y");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).startsWith("[x y]\n");
    }

    @Test
    @Order(6)
    void theRememberedExecLineIsUsedUntilASourceChanges() throws Exception {
        Run first = launch(echoCatalog, "", Map.of(), "echo-args@.", "cache me");
        assertThat(first.out()).startsWith("[cache me]\n");
        Path exec = cache.resolve("0.132.1/exec");
        List<Path> remembered;
        try (var files = Files.list(exec)) {
            remembered = files.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
        assertThat(remembered).isNotEmpty();
        // prove the fast path runs the remembered line: replace it by something recognisable
        for (Path line : remembered) Files.writeString(line, "printf 'remembered <%s>\\n'\n");
        Run cached = launch(echoCatalog, "", Map.of(), "echo-args@.", "cache me");
        assertThat(cached.out()).isEqualTo("remembered <cache me>\n");
        // it holds the command without the arguments: other arguments reuse it
        Run other = launch(echoCatalog, "", Map.of(), "echo-args@.", "other", "two words");
        assertThat(other.out()).isEqualTo("remembered <other>\nremembered <two words>\n");

        // a changed source changes the key: jbang is asked again and rebuilds the script
        Path source = echoCatalog.resolve("EchoArgs.java");
        Files.writeString(
                source, Files.readString(source).replace("\"[\" + a + \"]\"", "\"<\" + a + \">\""));
        Run rebuilt = launch(echoCatalog, "", Map.of(), "echo-args@.", "cache me");
        assertThat(rebuilt.out()).as(rebuilt.toString()).startsWith("<cache me>\n");

        // JBANG_LAUNCHER_NO_CACHE=1 always asks jbang...
        try (var files = Files.list(exec)) {
            for (Path line : files.toList()) Files.writeString(line, "printf 'stale\\n'\n");
        }
        Run uncached =
                launch(
                        echoCatalog,
                        "",
                        Map.of("JBANG_LAUNCHER_NO_CACHE", "1"),
                        "echo-args@.",
                        "cache me");
        assertThat(uncached.out()).startsWith("<cache me>\n");
        // ... and remembers its answer: the next run is right again
        Run refreshed = launch(echoCatalog, "", Map.of(), "echo-args@.", "cache me");
        assertThat(refreshed.out()).startsWith("<cache me>\n");
    }

    @Test
    @Order(7)
    void fromASubdirectoryAliasAtDotFindsTheRepositoryCatalogAndItsDefaults() throws Exception {
        Run help = launch(REPO.resolve("scripts/src"), "", Map.of(), "build-zip@.", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out())
                .contains("Usage: jbang build-zip@.")
                .contains("(default: ../../scorer)");
        Run status = launch(REPO.resolve("scripts"), "", Map.of(), "toggle-tests@.", "status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains(".github/workflows/");
    }

    @Test
    @Order(8)
    void aMissingAliasIsJbangsOwnUsageError() throws Exception {
        Run run = launch(echoCatalog, "", Map.of(), "no-such-alias@.");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    }

    /** The class-data archive directory whose recorded modes include {@code mode}. */
    private static Path archiveDirRecording(String mode) throws IOException {
        try (var keys = Files.list(cache.resolve("0.132.1/cds"))) {
            List<Path> found =
                    keys.filter(k -> Files.exists(k.resolve("modes").resolve(mode))).toList();
            assertThat(found).as("one archive recorded " + mode).hasSize(1);
            return found.get(0);
        }
    }

    private static Run launchLogged(Path log, String stdin, String... args) throws Exception {
        return launch(
                echoCatalog,
                stdin,
                Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + log),
                args);
    }

    private static String otherErrors(Run run) {
        return run.err()
                .lines()
                .filter(l -> !l.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    @Order(8) // EchoArgs prints <arg> since test 6
    void aClassDataArchiveIsRecordedOnceThenMappedAndABrokenOneIsIgnoredSilently()
            throws Exception {
        Run first = launch(echoCatalog, "", Map.of(), "echo-args@.", "cds");
        assertThat(first.out()).as(first.toString()).startsWith("<cds>\n");
        Path dir = archiveDirRecording("EchoArgs_cds");
        Path archive = dir.resolve("app.jsa");
        assertThat(archive).isNotEmptyFile();

        Path log = home.resolve("class-load.log");
        Run mapped = launchLogged(log, "", "echo-args@.", "cds");
        assertThat(mapped.out()).as(mapped.toString()).startsWith("<cds>\n");
        assertThat(Files.readString(log)).contains("EchoArgs source: shared objects file");

        Files.delete(archive);
        Files.write(archive, new byte[8192]); // not an archive
        Run broken = launchLogged(log, "in\n", "echo-args@.", "cds");
        assertThat(broken.exitCode()).as(broken.toString()).isZero();
        assertThat(broken.out()).isEqualTo("<cds>\nstdin=in\n");
        assertThat(otherErrors(broken)).as("silent fallback").isEmpty();
        assertThat(Files.readString(log)).contains("EchoArgs source: file:");
        try (var left = Files.walk(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no temp files left")
                    .noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    @Order(9)
    void aChangedScriptGetsItsOwnArchive() throws Exception {
        Path source = echoCatalog.resolve("EchoArgs.java");
        Files.writeString(source, Files.readString(source) + "// changed\n");
        Run recorded = launch(echoCatalog, "", Map.of(), "echo-args@.", "cds");
        assertThat(recorded.out()).as(recorded.toString()).startsWith("<cds>\n");
        Path log = home.resolve("class-load-changed.log");
        Run mapped = launchLogged(log, "", "echo-args@.", "cds");
        assertThat(mapped.out()).startsWith("<cds>\n");
        assertThat(Files.readString(log)).contains("EchoArgs source: shared objects file");
        try (var keys = Files.list(cache.resolve("0.132.1/cds"))) {
            assertThat(keys.filter(k -> Files.exists(k.resolve("modes/EchoArgs_cds"))))
                    .as("old and new script")
                    .hasSize(2);
        }
    }

    private static List<String> remembered(String dir) throws IOException {
        try (var files = Files.list(cache.resolve("0.132.1").resolve(dir))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** Runs echo-args@. with one word and checks that the script echoed it. */
    private static void echo(String word) throws Exception {
        Run run = launch(echoCatalog, "", Map.of(), "echo-args@.", word);
        assertThat(run.out()).as(run.toString()).startsWith("<" + word + ">\n");
    }

    @Test
    @Order(9)
    void sourcesUnderHiddenDirectoriesDoNotChangeTheRememberedCommand() throws Exception {
        echo("hidden");
        List<String> before = remembered("exec");
        // a tools directory (the tests' .tools holds thousands of directories) is not walked
        Path tools = Files.createDirectories(echoCatalog.resolve(".tools/venv/lib"));
        Files.writeString(tools.resolve("Tool.java"), "class Tool {}\n");
        echo("hidden");
        assertThat(remembered("exec")).as("the same key").isEqualTo(before);
        // a visible source is part of the key
        Path visible = Files.writeString(echoCatalog.resolve("Other.java"), "class Other {}\n");
        try {
            echo("hidden");
            assertThat(remembered("exec")).as("a new key").hasSize(before.size() + 1);
        } finally {
            Files.delete(visible);
        }
    }

    @Test
    @Order(9)
    void aClasspathJarChangedUnderTheSameRememberedCommandGetsANewArchive() throws Exception {
        echo("memo");
        // the remembered command's archive key (the newest memo): the key, then the stat lines
        // it hashes
        Path memo;
        try (var memos = Files.list(cache.resolve("0.132.1/cds-keys"))) {
            memo =
                    memos.filter(p -> !p.getFileName().toString().startsWith("."))
                            .max(Comparator.comparing(p -> p.toFile().lastModified()))
                            .orElseThrow();
        }
        List<String> lines = Files.readAllLines(memo);
        String key = lines.get(0);
        assertThat(cache.resolve("0.132.1/cds").resolve(key).resolve("modes/EchoArgs_memo"))
                .exists();
        // the script's jar (the line after java's): "%n %s %Y", and the name may hold spaces
        String jarLine = lines.get(2);
        String withoutMtime = jarLine.substring(0, jarLine.lastIndexOf(' '));
        Path jar = Path.of(withoutMtime.substring(0, withoutMtime.lastIndexOf(' ')));
        assertThat(jar).isRegularFile();
        Files.setLastModifiedTime(
                jar,
                java.nio.file.attribute.FileTime.fromMillis(
                        Files.getLastModifiedTime(jar).toMillis() + 5_000));

        echo("memo");
        String newKey = Files.readAllLines(memo).get(0);
        assertThat(newKey).as("a new key for the changed jar").isNotEqualTo(key).hasSize(64);
        assertThat(cache.resolve("0.132.1/cds").resolve(newKey).resolve("modes/EchoArgs_memo"))
                .as("recorded afresh")
                .exists();
    }

    @Test
    @Order(10)
    void concurrentFirstRunsAllSucceedAndLeaveOneUsableArchive() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Run>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String stdin = "run " + i + "\n";
                runs.add(
                        pool.submit(
                                () -> launch(echoCatalog, stdin, Map.of(), "echo-args@.", "race")));
            }
            for (int i = 0; i < 4; i++) {
                Run run = runs.get(i).get();
                assertThat(run.exitCode()).as(run.toString()).isZero();
                assertThat(run.out()).isEqualTo("<race>\nstdin=run " + i + "\n");
            }
        } finally {
            pool.shutdownNow();
        }
        Path dir = archiveDirRecording("EchoArgs_race");
        Path log = home.resolve("class-load-race.log");
        Run mapped = launchLogged(log, "", "echo-args@.", "race");
        assertThat(mapped.out()).startsWith("<race>\n");
        assertThat(Files.readString(log)).contains("EchoArgs source: shared objects file");
        try (var left = Files.walk(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no temp files left")
                    .noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    @Order(12)
    void onAMachineWithoutJavaItInstallsTheJdkWithAptGetThenRuns() throws Exception {
        // PATH: everything of /usr/bin but java, plus a recording apt-get (and sudo, when not root)
        // that "installs" it
        Path bare = Files.createDirectories(home.resolve("bare-bin"));
        try (var tools = Files.list(Path.of("/usr/bin"))) {
            for (Path tool : tools.toList()) {
                String name = tool.getFileName().toString();
                if (!name.equals("java") && !name.equals("apt-get") && !name.equals("sudo")) {
                    Files.createSymbolicLink(bare.resolve(name), tool);
                }
            }
        }
        Path calls = home.resolve("apt-get calls.txt");
        Path realJava = Path.of(System.getProperty("java.home"), "bin", "java");
        Path aptGet = bare.resolve("apt-get");
        Files.writeString(
                aptGet,
                "#!/bin/sh\necho \"$*\" >> '"
                        + calls
                        + "'\n"
                        + "case \"$*\" in *install*) ln -s '"
                        + realJava
                        + "' '"
                        + bare.resolve("java")
                        + "' ;; esac\n");
        Path sudo = bare.resolve("sudo");
        Files.writeString(sudo, "#!/bin/sh\n[ \"$1\" = -n ] && shift\nexec \"$@\"\n");
        for (Path script : List.of(aptGet, sudo))
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bare.toString());
        env.put("JAVA_HOME", "");

        Run refused =
                launch(
                        echoCatalog,
                        "",
                        Map.of(
                                "PATH",
                                bare.toString(),
                                "JAVA_HOME",
                                "",
                                "JBANG_LAUNCHER_NO_INSTALL",
                                "1"),
                        "echo-args@.",
                        "x");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("error: java not found; install a JDK 17+");
        assertThat(calls).doesNotExist();

        Run run = launch(echoCatalog, "", env, "echo-args@.", "installed");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("<installed>\n");
        assertThat(run.err())
                .contains(
                        "[jbang launcher] java or mvn missing: installing openjdk-17-jdk-headless and maven");
        assertThat(Files.readAllLines(calls))
                .containsExactly(
                        "update -qq",
                        "install -y -q --no-install-recommends ca-certificates openjdk-17-jdk-headless maven");
    }

    @Test
    @Order(13)
    void whileJbangResolvesAndCompilesAHeartbeatGoesToStderrEveryTenSeconds() throws Exception {
        // a JDK whose java takes 12 s whenever it runs JBang itself (as a cold resolve and
        // compile does), and is the real java otherwise
        Path jdk = Files.createDirectories(home.resolve("slow jdk/bin"));
        Path realJava = Path.of(System.getProperty("java.home"), "bin", "java");
        Path java = jdk.resolve("java");
        Files.writeString(
                java,
                "#!/bin/sh\ncase \"$*\" in *dev.jbang.Main*) sleep 12 ;; esac\nexec '"
                        + realJava
                        + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run run =
                launch(
                        echoCatalog,
                        "",
                        Map.of(
                                "JAVA_HOME",
                                jdk.getParent().toString(),
                                "JBANG_LAUNCHER_NO_CACHE",
                                "1"),
                        "echo-args@.",
                        "slow");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as("stdout is the script's alone").isEqualTo("<slow>\nstdin=\n");
        assertThat(run.err())
                .containsPattern(
                        "\\[jbang launcher\\] jbang is still resolving and compiling the script \\(1[01] s\\)\n");
    }

    @Test
    @Order(11)
    void byDefaultTheArchiveIsWrittenInTheBackgroundAfterTheRun() throws Exception {
        Run run =
                launch(
                        echoCatalog,
                        "",
                        Map.of("JBANG_LAUNCHER_CDS", "background"),
                        "echo-args@.",
                        "background");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("<background>\nstdin=\n");
        Path marker = null;
        for (int i = 0; i < 600 && marker == null; i++) { // up to 2 minutes on a busy machine
            try (var keys = Files.list(cache.resolve("0.132.1/cds"))) {
                marker =
                        keys.map(k -> k.resolve("modes/EchoArgs_background"))
                                .filter(Files::exists)
                                .findFirst()
                                .orElse(null);
            }
            if (marker == null) Thread.sleep(200);
        }
        assertThat(marker).as("the background writer recorded the mode").isNotNull();
        // wait for the writer to let go of its lock (flock(1), as the launcher takes it) before
        // @TempDir is removed
        Process wait =
                new ProcessBuilder(
                                "flock",
                                marker.getParent().resolveSibling("lock").toString(),
                                "true")
                        .start();
        assertThat(wait.waitFor(2, TimeUnit.MINUTES)).isTrue();
        Path log = home.resolve("class-load-background.log");
        Run mapped = launchLogged(log, "", "echo-args@.", "background");
        assertThat(mapped.out()).startsWith("<background>\n");
        assertThat(Files.readString(log)).contains("EchoArgs source: shared objects file");
    }
}
