package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.Digests;
import scorerci.core.ExitCode;
import scorerci.fakes.ArtifactService;
import scorerci.testing.CommandHarness;

/**
 * The "wrong result or code" cases of issue 10, each with the exit code the README's table names.
 */
class HostileInputsTest {
    @TempDir Path work;

    private CommandHarness local() {
        return ArtifactFixtures.fast(CommandHarness.create().workDir(work));
    }

    @Test
    void concurrentUploadsOfTheSameContentToTheLocalStoreAllSucceed() throws Exception {
        Path file = ArtifactFixtures.randomFile(work.resolve("in/payload.bin"), 1 << 20, 5);
        Path store = work.resolve("store");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<CommandHarness.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<CommandHarness.Result> upload =
                        () ->
                                local().run(
                                                "upload-artifact",
                                                "--name",
                                                "same",
                                                "--file",
                                                file.toString(),
                                                "--store",
                                                store.toString());
                runs.add(pool.submit(upload));
            }
            for (Future<CommandHarness.Result> f : runs) {
                CommandHarness.Result r = f.get();
                assertThat(r.exitCode()).as(r.toString()).isIn(0, ExitCode.CONFLICT.code);
                assertThat(r.err()).doesNotContain("Directory not empty", "internal error");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A local-store artifact with the given zipped bytes (as upload-artifact would record it). */
    private Path storeWith(String name, byte[] zip) throws Exception {
        Path dir = Files.createDirectories(work.resolve("store").resolve(name));
        Files.write(dir.resolve("artifact.zip"), zip);
        Files.writeString(
                dir.resolve("artifact.json"),
                "{\"id\":1,\"name\":\""
                        + name
                        + "\",\"size\":"
                        + zip.length
                        + ",\"digest\":\"sha256:"
                        + Digests.hex(Digests.sha256().digest(zip))
                        + "\",\"created_at\":\""
                        + Instant.now()
                        + "\"}");
        return work.resolve("store");
    }

    @Test
    void aHugeMaxSizeDoesNotOverflowIntoRefusingEverything() throws Exception {
        Path store = storeWith("small", ArtifactFixtures.zipWithEntry("hello.txt", false));
        CommandHarness.Result r =
                local().run(
                                "download-artifact",
                                "--name",
                                "small",
                                "--no-verify",
                                "--dest",
                                "out",
                                "--store",
                                store.toString(),
                                "--max-size-mb",
                                Long.toString(Long.MAX_VALUE));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(work.resolve("out/hello.txt")).hasContent("pwned");
    }

    /**
     * A STORED entry with a data descriptor (which a stream cannot read) followed by 40 MiB: the
     * fallback spools to a temporary file, and that spool must stop at the cap --max-size-mb 1
     * implies (1 MiB + 1/8 + 16 MiB), not take whatever the peer sends.
     */
    @Test
    void theStoredWithDataDescriptorFallbackObeysMaxSize() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        byte[] name = "x.bin".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer local =
                ByteBuffer.allocate(30)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(0x04034b50)
                        .putShort((short) 10)
                        .putShort((short) 0x0008)
                        .putShort((short) 0) // STORED + descriptor
                        .putShort((short) 0)
                        .putShort((short) 0x21)
                        .putInt(0)
                        .putInt(0)
                        .putInt(0)
                        .putShort((short) name.length)
                        .putShort((short) 0);
        zip.write(local.array());
        zip.write(name);
        zip.write(new byte[40 << 20]);
        Path store = storeWith("dd", zip.toByteArray());
        CommandHarness.Result r =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(60),
                        () ->
                                local().run(
                                                "download-artifact",
                                                "--name",
                                                "dd",
                                                "--no-verify",
                                                "--dest",
                                                "out",
                                                "--store",
                                                store.toString(),
                                                "--max-size-mb",
                                                "1"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.VERIFICATION.code);
        assertThat(r.err()).contains("exceed", "--max-size-mb");
        assertThat(work.resolve("out")).doesNotExist();
    }

    @Test
    void aRedirectToAFileUrlIsARemoteFailure() throws Exception {
        try (ArtifactService service = ArtifactService.start()) {
            ArtifactService.Run run = service.newRun("acme/scorer", 9001);
            CommandHarness.Result up =
                    ArtifactFixtures.inJob(service, service.newJob(run), work)
                            .run(
                                    "upload-artifact",
                                    "--tag",
                                    "f",
                                    "--file",
                                    ArtifactFixtures.lambdaZip().toString());
            assertThat(up.exitCode()).as(up.toString()).isZero();
            service.faults().redirect("rest:zip", "file:///etc/passwd", 10);
            CommandHarness.Result r =
                    ArtifactFixtures.fast(
                                    CommandHarness.create()
                                            .workDir(work)
                                            .env("GITHUB_API_URL", service.apiUrl())
                                            .env("GITHUB_TOKEN", service.rest().token()))
                            .run(
                                    "download-artifact",
                                    "--tag",
                                    "f",
                                    "--run-id",
                                    "9001",
                                    "--repo",
                                    "acme/scorer");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REMOTE.code);
            assertThat(r.err()).contains("'file:' URL");
        }
    }

    @Test
    void aDestThatIsAFileOrASymlinkIsAUsageError() throws Exception {
        Path store = storeWith("small", ArtifactFixtures.zipWithEntry("hello.txt", false));
        Files.writeString(work.resolve("file"), "x");
        Files.createSymbolicLink(work.resolve("link"), work.resolve("elsewhere"));
        for (String dest : List.of("file", "link")) {
            CommandHarness.Result r =
                    local().run(
                                    "download-artifact",
                                    "--name",
                                    "small",
                                    "--no-verify",
                                    "--dest",
                                    dest,
                                    "--store",
                                    store.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE.code);
        }
        assertThat(work.resolve("file")).hasContent("x");
        assertThat(Files.isSymbolicLink(work.resolve("link"))).isTrue();
    }

    @Test
    void aDownloadIntoAnExistingDestKeepsItsOtherFilesAndReplacesTheArtifactsOwn()
            throws Exception {
        Path store = storeWith("small", ArtifactFixtures.zipWithEntry("hello.txt", false));
        Path dest = Files.createDirectories(work.resolve("out/sub"));
        Files.writeString(work.resolve("out/hello.txt"), "stale");
        Files.writeString(dest.resolve("mine.txt"), "mine");
        CommandHarness.Result r =
                local().run(
                                "download-artifact",
                                "--name",
                                "small",
                                "--no-verify",
                                "--dest",
                                "out",
                                "--store",
                                store.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(work.resolve("out/hello.txt")).hasContent("pwned");
        assertThat(work.resolve("out/sub/mine.txt")).hasContent("mine");
        try (var left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("out", "store");
        }
    }
}
