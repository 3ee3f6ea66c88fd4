package scorerci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TimeZone;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.artifacts.store.BackendIds;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.net.RetryPolicy;
import scorerci.zip.OuterZip;

/** The small parts: JWT scopes, names, retry delays, the deterministic wrapper zip. */
class ArtifactUnitsTest {
    @TempDir Path dir;

    private static String jwt(String payload) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString("{\"alg\":\"none\"}".getBytes())
                + "."
                + b.encodeToString(payload.getBytes())
                + ".sig";
    }

    @Test
    void backendIdsComeFromTheResultsScope() {
        BackendIds ids =
                BackendIds.fromRuntimeToken(
                        jwt(
                                "{\"scp\":\"Actions.GenericRead:r Actions.Results:run-1:job-2 Actions.UploadArtifacts:r:j\"}"));
        assertThat(ids).isEqualTo(new BackendIds("run-1", "job-2"));
        assertThatThrownBy(
                        () ->
                                BackendIds.fromRuntimeToken(
                                        jwt("{\"scp\":\"Actions.Results:only-one\"}")))
                .hasMessageContaining("Failed to get backend IDs");
        assertThatThrownBy(() -> BackendIds.fromRuntimeToken("not-a-jwt"))
                .isInstanceOf(PipelineException.class);
    }

    @Test
    void forbiddenCharactersAreNamed() {
        for (String bad :
                new String[] {
                    "a\"b", "a:b", "a<b", "a>b", "a|b", "a*b", "a?b", "a\rb", "a\nb", "a\\b", "a/b"
                }) {
            assertThatThrownBy(() -> ArtifactName.validate(bad))
                    .isInstanceOf(PipelineException.class)
                    .satisfies(
                            e ->
                                    assertThat(((PipelineException) e).exitCode())
                                            .isEqualTo(ExitCode.USAGE));
        }
        assertThat(ArtifactName.validate("rust-scorer-abc1234.zip"))
                .isEqualTo("rust-scorer-abc1234.zip");
    }

    @Test
    void retryDelaysGrowAreJitteredCappedAndYieldToRetryAfter() {
        RetryPolicy p =
                new RetryPolicy(
                        5,
                        Duration.ofMillis(100),
                        Duration.ofMillis(1000),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(5));
        for (int i = 0; i < 50; i++) {
            assertThat(p.delay(1, null).toMillis()).isBetween(50L, 100L);
            assertThat(p.delay(3, null).toMillis()).isBetween(200L, 400L);
            assertThat(p.delay(10, null).toMillis()).isBetween(500L, 1000L);
        }
        assertThat(p.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(
                        RetryPolicy.fromEnv(Map.of("SCORER_ARTIFACT_RETRY_ATTEMPTS", "2")::get)
                                .maxAttempts())
                .isEqualTo(2);
        assertThatThrownBy(
                        () ->
                                RetryPolicy.fromEnv(
                                        Map.of("SCORER_ARTIFACT_RETRY_BASE_MS", "soon")::get))
                .hasMessageContaining("SCORER_ARTIFACT_RETRY_BASE_MS");
    }

    @Test
    void theWrapperZipIsByteDeterministicInAnyTimeZoneAndStoresTheFileAs0644() throws Exception {
        Path file = Files.write(dir.resolve("bootstrap.zip"), "inner bytes".getBytes());
        OuterZip.Inner inner = OuterZip.inspect(file);
        TimeZone original = TimeZone.getDefault();
        byte[] a;
        byte[] b;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            a = write(inner);
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            b = write(inner);
        } finally {
            TimeZone.setDefault(original);
        }
        assertThat(a).isEqualTo(b);
        assertThat(OuterZip.digestOf(inner).size()).isEqualTo(a.length);
        Path zip = Files.write(dir.resolve("a.zip"), a);
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            ZipArchiveEntry e = z.getEntry("bootstrap.zip");
            assertThat(e.getUnixMode()).isEqualTo(0100644);
            assertThat(e.getMethod()).isZero();
            assertThat(z.getInputStream(e).readAllBytes()).isEqualTo("inner bytes".getBytes());
        }
    }

    @Test
    void entryDigestReadsDeflatedZipsWithDataDescriptors() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip =
                new ZipArchiveOutputStream(bytes)) { // non-seekable: data descriptors
            ZipArchiveEntry e = new ZipArchiveEntry("bootstrap.zip");
            zip.putArchiveEntry(e);
            zip.write("payload".repeat(1000).getBytes());
            zip.closeArchiveEntry();
        }
        String expected = ResultsRoundTripTest.sha256("payload".repeat(1000).getBytes());
        assertThat(
                        OuterZip.entryDigest(
                                new ByteArrayInputStream(bytes.toByteArray()), "bootstrap.zip"))
                .isEqualTo(expected);
        assertThat(OuterZip.entryDigest(new ByteArrayInputStream(bytes.toByteArray()), "other"))
                .isNull();
    }

    private static byte[] write(OuterZip.Inner inner) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OuterZip.write(inner, out);
        return out.toByteArray();
    }
}
