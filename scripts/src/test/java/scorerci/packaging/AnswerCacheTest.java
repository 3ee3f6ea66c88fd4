package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.PipelineException;
import scorerci.elf.ElfFixtures;
import scorerci.zip.LambdaZipWriter;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/** Remembered process answers: asked once, asked again on any change of what they depend on. */
class AnswerCacheTest {
    @TempDir Path tmp;
    Map<String, String> env;
    AnswerCache cache;
    final AtomicInteger asked = new AtomicInteger();

    @BeforeEach
    void cacheInTemp() {
        env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(), "HOME", tmp.toString());
        cache = AnswerCache.of(env);
    }

    private String ask(AnswerCache.Key key) {
        return key.answer(() -> "answer " + asked.incrementAndGet());
    }

    @Test
    void anUnchangedKeyIsAnsweredFromTheCacheAndAnyChangeOfAFileAsksAgain() throws Exception {
        Path toml = Files.writeString(tmp.resolve("Cargo.toml"), "[package]\nname = \"a\"\n");
        Path lock = tmp.resolve("Cargo.lock"); // missing for now
        assertThat(ask(cache.key("q").file(toml).file(lock))).isEqualTo("answer 1");
        assertThat(ask(cache.key("q").file(toml).file(lock))).isEqualTo("answer 1");
        assertThat(ask(AnswerCache.of(env).key("q").file(toml).file(lock)))
                .as("another run")
                .isEqualTo("answer 1");

        assertThat(ask(cache.key("other question").file(toml).file(lock))).isEqualTo("answer 2");
        assertThat(ask(cache.key("q").file(toml).file(lock).text("dir", "/elsewhere")))
                .isEqualTo("answer 3");

        Files.writeString(lock, "# now there\n");
        assertThat(ask(cache.key("q").file(toml).file(lock)))
                .as("a created file")
                .isEqualTo("answer 4");
        Files.writeString(toml, "[package]\nname = \"b\"\n"); // same size, new content
        assertThat(ask(cache.key("q").file(toml).file(lock)))
                .as("an edited file")
                .isEqualTo("answer 5");
        Files.setLastModifiedTime(toml, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        assertThat(ask(cache.key("q").file(toml).file(lock)))
                .as("a touched file")
                .isEqualTo("answer 6");
        Path replacement = Files.writeString(tmp.resolve("new.toml"), Files.readString(toml));
        Files.setLastModifiedTime(replacement, Files.getLastModifiedTime(toml));
        Files.move(replacement, toml, StandardCopyOption.REPLACE_EXISTING);
        assertThat(ask(cache.key("q").file(toml).file(lock)))
                .as("a replaced file, same size and mtime")
                .isEqualTo("answer 7");
        assertThat(ask(cache.key("q").file(toml).file(lock))).isEqualTo("answer 7");
    }

    @Test
    void variablesCountByNameAndValueWhateverTheirOrder() {
        Map<String, String> a = new java.util.LinkedHashMap<>();
        a.put("CARGO_TARGET_DIR", "/t");
        a.put("CARGO_HOME", "/h");
        a.put("UNRELATED", "1");
        Map<String, String> b = new java.util.LinkedHashMap<>();
        b.put("CARGO_HOME", "/h");
        b.put("CARGO_TARGET_DIR", "/t");
        b.put("UNRELATED", "2");
        assertThat(ask(cache.key("q").env(a, "CARGO"))).isEqualTo("answer 1");
        assertThat(ask(cache.key("q").env(b, "CARGO"))).isEqualTo("answer 1");
        b.put("CARGO_TARGET_DIR", "/u");
        assertThat(ask(cache.key("q").env(b, "CARGO"))).isEqualTo("answer 2");
    }

    @Test
    void failuresAreNotRememberedAndExceptionsPassThrough() {
        assertThat(cache.key("q").answer(() -> null)).isNull();
        assertThat(ask(cache.key("q"))).isEqualTo("answer 1");
        assertThatThrownBy(
                        () ->
                                cache.key("boom")
                                        .answer(
                                                () -> {
                                                    throw PipelineException.toolFailed(
                                                            "cargo metadata failed");
                                                }))
                .hasMessageContaining("cargo metadata failed");
        assertThat(ask(cache.key("boom"))).isEqualTo("answer 2");
    }

    @Test
    void offOrWithoutAWritableCacheEveryQuestionIsAsked() throws IOException {
        AnswerCache off =
                AnswerCache.of(Map.of("HOME", tmp.toString(), "SCORER_ANSWER_CACHE", "off"));
        assertThat(ask(off.key("q"))).isEqualTo("answer 1");
        assertThat(ask(off.key("q"))).isEqualTo("answer 2");

        Path readOnly = Files.createDirectories(tmp.resolve("ro/scorer-pipeline/answers"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        AnswerCache unwritable =
                AnswerCache.of(Map.of("XDG_CACHE_HOME", tmp.resolve("ro").toString()));
        boolean root =
                Files.isWritable(readOnly); // root writes anyway; then the check below is moot
        assertThat(ask(unwritable.key("q"))).isEqualTo("answer 3");
        if (!root) assertThat(ask(unwritable.key("q"))).isEqualTo("answer 4");
    }

    @Test
    void programsCountByTheBinaryPathResolvesToAndRustupProxiesAreNeverRemembered()
            throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path gcc = executable(bin.resolve("aarch64-linux-gnu-gcc-12"), "#!/bin/sh\necho 12\n");
        Files.createSymbolicLink(bin.resolve("aarch64-linux-gnu-gcc"), gcc.getFileName());
        Map<String, String> path = Map.of("PATH", bin.toString());
        assertThat(ask(cache.key("gcc -dumpfullversion").program("aarch64-linux-gnu-gcc", path)))
                .isEqualTo("answer 1");
        assertThat(ask(cache.key("gcc -dumpfullversion").program("aarch64-linux-gnu-gcc", path)))
                .isEqualTo("answer 1");
        Files.writeString(gcc, "#!/bin/sh\necho 13\n"); // the link's target changed
        assertThat(ask(cache.key("gcc -dumpfullversion").program("aarch64-linux-gnu-gcc", path)))
                .isEqualTo("answer 2");

        Path rustup = executable(bin.resolve("rustup"), "#!/bin/sh\n");
        Files.createLink(bin.resolve("cargo"), rustup);
        assertThat(AnswerCache.isRustupProxy(bin.resolve("cargo"))).isTrue();
        assertThat(ask(cache.key("cargo -V").program("cargo", path))).isEqualTo("answer 3");
        assertThat(ask(cache.key("cargo -V").program("cargo", path)))
                .as("rustup decides: ask each time")
                .isEqualTo("answer 4");
        assertThat(ask(cache.key("x -V").program("no-such-program", path))).isEqualTo("answer 5");
        assertThat(ask(cache.key("x -V").program("no-such-program", path))).isEqualTo("answer 6");
    }

    @Test
    void aKeptZipIsVerifiedUntilAVerdictIsRememberedForItsIdentityAndAnyChangeVerifiesAgain()
            throws Exception {
        Path bootstrap =
                ElfFixtures.aarch64(
                        Files.createDirectories(tmp.resolve("bins")),
                        "bootstrap",
                        ElfFixtures.HELLO);
        Path zip = tmp.resolve("out/bootstrap.zip");
        LambdaZipWriter.withDosEpoch().write(zip, bootstrap, List.of());
        VerifiedZip real = ZipVerifier.verify(zip, ZipRules.defaults());
        BuildManifest manifest =
                new BuildManifest(
                        "t",
                        "a",
                        null,
                        "c",
                        "1",
                        Toolchain.TRIPLE,
                        "system",
                        Map.of(),
                        "bootstrap.zip",
                        real.size(),
                        real.unzippedSize(),
                        real.sha256Hex(),
                        real.codeSha256(),
                        real.machine(),
                        real.highestGlibc(),
                        ZipRules.AL2023_GLIBC,
                        real.entries(),
                        "1980-01-01T00:00:00Z",
                        "i",
                        "f",
                        null,
                        null,
                        List.of(),
                        null);
        Path manifestPath = BuildManifest.pathFor(zip);
        manifest.write(manifestPath);
        Path code = Files.writeString(tmp.resolve("Pipeline.jar"), "the verifier's code");
        ZipRules rules = ZipRules.defaults();

        assertThat(LambdaBuild.reverify(cache, zip, manifestPath, manifest, rules, code))
                .isEqualTo(real);
        // prove the next answer comes from the cache: doctor the remembered verdict
        Path remembered;
        try (var entries = Files.list(tmp.resolve("cache/scorer-pipeline/answers"))) {
            remembered =
                    entries.filter(p -> !p.getFileName().toString().startsWith("."))
                            .findFirst()
                            .orElseThrow();
        }
        String doctored = "f".repeat(64);
        Files.writeString(remembered, doctored);
        assertThat(
                        LambdaBuild.reverify(cache, zip, manifestPath, manifest, rules, code)
                                .sha256Hex())
                .isEqualTo(doctored);

        // other rules, other code, no jar (classes from a directory), a touched manifest: read and
        // verified again
        assertThatThrownBy(
                        () ->
                                LambdaBuild.reverify(
                                        cache,
                                        zip,
                                        manifestPath,
                                        manifest,
                                        rules.withRequiredEntries(List.of("weights.json")),
                                        code))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("weights.json");
        assertThat(LambdaBuild.reverify(cache, zip, manifestPath, manifest, rules, null))
                .isEqualTo(real);
        assertThat(LambdaBuild.reverify(cache, zip, manifestPath, manifest, rules, null))
                .isEqualTo(real);
        Files.writeString(code, "new verifier code");
        assertThat(LambdaBuild.reverify(cache, zip, manifestPath, manifest, rules, code))
                .isEqualTo(real);
        Files.setLastModifiedTime(
                manifestPath, FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
        assertThat(LambdaBuild.reverify(cache, zip, manifestPath, manifest, rules, code))
                .isEqualTo(real);

        // a different zip in its place, same size and mtime (one byte of bootstrap flipped):
        // verified again, and rejected
        byte[] bytes = Files.readAllBytes(zip);
        Path corrupt = tmp.resolve("corrupt.zip");
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(corrupt, bytes);
        Files.setLastModifiedTime(corrupt, Files.getLastModifiedTime(zip));
        Files.move(corrupt, zip, StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(
                        () -> LambdaBuild.reverify(cache, zip, manifestPath, manifest, rules, code))
                .isInstanceOf(PipelineException.class);
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
