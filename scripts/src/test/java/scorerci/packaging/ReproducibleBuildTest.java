package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scorerci.process.ExternalProcess;
import scorerci.testing.CommandHarness;
import scorerci.testing.RequiredTools;

/**
 * Issue 12's promise: the same commit gives the same bytes anywhere. Two checkouts of HEAD at
 * different paths (of different lengths), with different HOME, CARGO_HOME and target directories,
 * are built with the system route; the zips must be byte-identical and their binaries must hold
 * none of those paths.
 *
 * <p>The first checkout is this repository itself, with this machine's HOME and CARGO_HOME: the
 * test command builds the aarch64 scorer there once for the whole suite (run-tests.sh), so that
 * build costs cargo's no-op here instead of a second cold aarch64 build (about 3.5 CPU-minutes).
 * When {@code scorer/} differs from HEAD (uncommitted work) the repository is not HEAD, and the
 * first checkout is a clone like the second. The second is always a cold build in a clone whose
 * registry is seeded from this machine's CARGO_HOME (a copy: the paths differ, the crates do not),
 * offline.
 */
@Tag("slow")
@Timeout(value = 90, unit = TimeUnit.MINUTES)
class ReproducibleBuildTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir Path dir;

    record Build(Path checkout, Path home, Path cargoHome, Path targetDir) {}

    @Test
    void twoClonesWithDifferentPathsAndHomesBuildTheSameZip() throws Exception {
        boolean required = RequiredTools.required(System.getenv());
        boolean system =
                Files.isExecutable(Path.of("/usr/bin/cargo"))
                        && Files.isDirectory(ToolchainResolver.SYSTEM_AARCH64_STD);
        Assumptions.assumeTrue(
                system || required, "the system aarch64 toolchain is missing (see README Setup)");
        Path seed = seedRegistry();

        Build one =
                scorerMatchesHead()
                        ? thisRepository()
                        : prepare(
                                dir.resolve("one/repo"), dir.resolve("home-one"), null, null, seed);
        Build two =
                prepare(
                        dir.resolve("a much longer path/second checkout/repo"),
                        dir.resolve("h2"),
                        dir.resolve("elsewhere/cargo home"),
                        dir.resolve("elsewhere/target dir"),
                        seed);
        Path zipOne = build(one);
        Path zipTwo = build(two);

        byte[] a = Files.readAllBytes(zipOne);
        byte[] b = Files.readAllBytes(zipTwo);
        String shaOne = scorerci.core.Digests.hex(scorerci.core.Digests.sha256().digest(a));
        System.out.println(
                "reproducible build: sha256 "
                        + shaOne
                        + " from "
                        + one.checkout()
                        + " and "
                        + two.checkout());
        assertThat(scorerci.core.Digests.hex(scorerci.core.Digests.sha256().digest(b)))
                .as("zip sha256")
                .isEqualTo(shaOne);
        assertThat(b).isEqualTo(a);

        for (Build build : List.of(one, two)) {
            String binary =
                    new String(
                            bootstrapOf(build == one ? zipOne : zipTwo),
                            StandardCharsets.ISO_8859_1);
            for (Path path :
                    List.of(
                            build.checkout(),
                            build.home(),
                            build.cargoHome(),
                            build.targetDir(),
                            dir)) {
                assertThat(binary)
                        .as("bootstrap built in " + build.checkout() + " holds " + path)
                        .doesNotContain(path.toString());
            }
        }
        // both record what must match, with no machine path in the record
        JsonNode manifest =
                new ObjectMapper().readTree(zipOne.resolveSibling("bootstrap.zip.json").toFile());
        assertThat(manifest.path("sourceDateEpoch").asText()).isEqualTo("1700000000");
        assertThat(manifest.path("cargoLockSha256").asText()).matches("[0-9a-f]{64}");
        assertThat(manifest.path("rustflags").toString())
                .contains("$CRATE_DIR")
                .doesNotContain(dir.toString());
        assertThat(Files.readString(zipOne.resolveSibling("bootstrap.zip.intoto.json")))
                .isEqualTo(Files.readString(zipTwo.resolveSibling("bootstrap.zip.intoto.json")))
                .contains("\"sha256\" : \"" + shaOne + "\"");
    }

    private Build prepare(Path clone, Path home, Path cargoHome, Path targetDir, Path seed)
            throws IOException {
        Files.createDirectories(clone.getParent());
        ExternalProcess.Result cloned =
                ExternalProcess.of(
                                "git",
                                "clone",
                                "--quiet",
                                "--no-hardlinks",
                                REPO.toString(),
                                clone.toString())
                        .timeout(Duration.ofMinutes(5))
                        .run();
        assertThat(cloned.ok()).as(cloned.output()).isTrue();
        Path cargo = cargoHome != null ? cargoHome : home.resolve(".cargo");
        for (String part : List.of("registry/index", "registry/cache"))
            copyTree(seed.resolve(part), cargo.resolve(part));
        return new Build(
                clone, home, cargo, targetDir != null ? targetDir : clone.resolve("scorer/target"));
    }

    /** This repository as it is, with this machine's HOME, CARGO_HOME and target directory. */
    private Build thisRepository() {
        Path home = Path.of(System.getProperty("user.home"));
        Path cargoHome = LambdaBuild.cargoHome(System.getenv());
        String target = System.getenv("CARGO_TARGET_DIR");
        return new Build(
                REPO,
                home,
                cargoHome != null ? cargoHome : home.resolve(".cargo"),
                target != null ? Path.of(target) : REPO.resolve("scorer/target"));
    }

    /** True when scorer/ holds exactly HEAD's files (nothing modified, added or untracked). */
    private static boolean scorerMatchesHead() {
        ExternalProcess.Result status =
                ExternalProcess.of("git", "status", "--porcelain", "--", "scorer")
                        .in(REPO)
                        .timeout(Duration.ofMinutes(1))
                        .run();
        assertThat(status.ok()).as(status.output()).isTrue();
        return status.output().isBlank();
    }

    private Path build(Build b) throws IOException {
        // outside the checkout: the repository's own work tree stays as it was
        Path out =
                dir.resolve(b.checkout() == REPO ? "out-repo" : "out-" + b.home().getFileName())
                        .resolve("bootstrap.zip");
        CommandHarness harness =
                CommandHarness.create()
                        .workDir(b.checkout())
                        .env("HOME", b.home().toString())
                        .env("CARGO_HOME", b.cargoHome().toString())
                        .env("CARGO_NET_OFFLINE", "true")
                        .env("SOURCE_DATE_EPOCH", "1700000000");
        // the repository's own build keeps its environment exactly, so that cargo finds the
        // suite's build fresh (an explicit CARGO_TARGET_DIR would be a different input)
        if (b.checkout() != REPO || System.getenv("CARGO_TARGET_DIR") != null)
            harness.env("CARGO_TARGET_DIR", b.targetDir().toString());
        CommandHarness.Result result =
                harness.run(
                        "build-zip",
                        "--toolchain",
                        "system",
                        "--out",
                        out.toString(),
                        "--tag",
                        "repro");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err())
                .as("no path left in the binary")
                .doesNotContain("still contains build paths");
        return out;
    }

    /**
     * This machine's CARGO_HOME with the scorer's crates in it (fetched once when missing:
     * installing).
     */
    private static Path seedRegistry() {
        String env = System.getenv("CARGO_HOME");
        Path seed = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cargo");
        ExternalProcess.Result fetch =
                ExternalProcess.of("/usr/bin/cargo", "fetch", "--locked")
                        .in(REPO.resolve("scorer"))
                        .env("CARGO_HOME", seed.toString())
                        .timeout(Duration.ofMinutes(10))
                        .run();
        assertThat(fetch.ok()).as("cargo fetch: " + fetch.output()).isTrue();
        return seed;
    }

    private static byte[] bootstrapOf(Path zip) throws IOException {
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            return file.getInputStream(file.getEntry("bootstrap")).readAllBytes();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
