package scorerci.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import scorerci.elf.ElfFixtures;
import scorerci.fakes.ArtifactService;
import scorerci.testing.CommandHarness;
import scorerci.zip.LambdaZipWriter;

/**
 * Shared inputs of the artifact tests: a real Lambda zip, big payloads, hostile zips, harness env.
 */
final class ArtifactFixtures {
    private static Path lambdaZip;

    private ArtifactFixtures() {}

    /**
     * A valid provided.al2023 arm64 bootstrap.zip: a C program compiled with the real cross gcc,
     * packaged by the project's own LambdaZipWriter. Built once per JVM.
     */
    static synchronized Path lambdaZip() {
        if (lambdaZip != null) return lambdaZip;
        try {
            Path dir = Files.createTempDirectory("artifact-fixture-");
            Path bootstrap = ElfFixtures.aarch64(dir, "bootstrap", ElfFixtures.HELLO);
            Path zip = dir.resolve("bootstrap.zip");
            LambdaZipWriter.withDosEpoch().write(zip, bootstrap, List.of());
            lambdaZip = zip;
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the Lambda zip under {@code dir/name}, with a different comment so its bytes
     * differ.
     */
    static Path lambdaZipVariant(Path dir, String comment) throws IOException {
        byte[] bytes = Files.readAllBytes(lambdaZip());
        // the end-of-central-directory record ends with a 2-byte comment length (0): append a
        // comment
        byte[] c = comment.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[bytes.length + c.length];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        out[bytes.length - 2] = (byte) c.length;
        out[bytes.length - 1] = 0;
        System.arraycopy(c, 0, out, bytes.length, c.length);
        Path file = Files.createDirectories(dir).resolve("bootstrap.zip");
        Files.write(file, out);
        return file;
    }

    /** Pseudo-random bytes (incompressible) of the given size, written in chunks. */
    static Path randomFile(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        Files.createDirectories(file.getParent());
        try (var out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, size - done));
            }
        }
        return file;
    }

    /** A zip whose single entry has the given name (e.g. "../evil"), optionally as a symlink. */
    static byte[] zipWithEntry(String name, boolean symlink) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setUnixMode(symlink ? 0120777 : 0100644);
            zip.putArchiveEntry(e);
            zip.write((symlink ? "/etc/passwd" : "pwned").getBytes(StandardCharsets.US_ASCII));
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /** A harness as a run step inside Actions sees it after the github-script export step. */
    static CommandHarness inJob(ArtifactService service, ArtifactService.Job job, Path workDir) {
        return fast(
                CommandHarness.create()
                        .workDir(workDir)
                        .env(job.env(service))
                        .env("GITHUB_ACTIONS", "true"));
    }

    /** Millisecond retry delays so fault tests stay fast. */
    static CommandHarness fast(CommandHarness h) {
        return h.env(
                Map.of(
                        "SCORER_ARTIFACT_RETRY_BASE_MS",
                        "5",
                        "SCORER_ARTIFACT_RETRY_MAX_MS",
                        "50",
                        "SCORER_ARTIFACT_TIMEOUT_MS",
                        "20000"));
    }

    /**
     * Output minus ::add-mask:: lines (which by design carry the secret to the runner, which hides
     * them).
     */
    static String visible(CommandHarness.Result r) {
        return Pattern.compile("^::add-mask::.*$", Pattern.MULTILINE)
                .matcher(r.out() + "\n" + r.err())
                .replaceAll("");
    }

    static String value(CommandHarness.Result r, String key) {
        return r.out()
                .lines()
                .filter(l -> l.startsWith(key + ": "))
                .map(l -> l.substring(key.length() + 2))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + key + ":' line in\n" + r));
    }
}
