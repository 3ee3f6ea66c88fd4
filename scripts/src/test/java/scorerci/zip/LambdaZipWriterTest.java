package scorerci.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;

class LambdaZipWriterTest {
    @TempDir Path dir;

    private Path bootstrap;
    private List<ZipInput> includes;

    private void inputs() throws Exception {
        bootstrap = Files.write(dir.resolve("bin"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        // given in reverse order on purpose: the zip sorts them
        includes =
                List.of(
                        new ZipInput(
                                "weights.json",
                                Files.writeString(dir.resolve("weights.json"), "{\"1\":{}}")),
                        new ZipInput(
                                "collector.yaml",
                                Files.writeString(
                                        dir.resolve("collector.yaml"), "receivers: {}\n")));
    }

    @Test
    void bootstrapFirstThenSortedIncludesWithUnixModesAndNoExtras() throws Exception {
        inputs();
        Path zip = dir.resolve("out/bootstrap.zip");
        LambdaZipWriter.withDosEpoch().write(zip, bootstrap, includes);

        RawZip raw = RawZip.parse(Files.readAllBytes(zip));
        assertThat(raw.entries())
                .extracting(RawZip.Entry::name)
                .containsExactly("bootstrap", "collector.yaml", "weights.json");
        RawZip.Entry boot = raw.entries().get(0);
        assertThat(boot.madeBy() >> 8).as("made by Unix").isEqualTo(3);
        assertThat(boot.externalAttributes()).isEqualTo(0x81ED0000L);
        assertThat(boot.unixMode()).isEqualTo(0100755);
        for (RawZip.Entry e : raw.entries()) {
            assertThat(e.method()).as(e.name() + " deflated").isEqualTo(8);
            assertThat(e.extraLength()).as(e.name() + " central extra").isZero();
            assertThat(e.localExtraLength()).as(e.name() + " local extra").isZero();
            assertThat(e.flags() & 0x8).as(e.name() + " no data descriptor").isZero();
            assertThat(List.of(e.year(), e.month(), e.day(), e.hour(), e.minute(), e.second()))
                    .as(e.name() + " time")
                    .containsExactly(1980, 1, 1, 0, 0, 0);
        }
        assertThat(raw.entries().subList(1, 3))
                .allSatisfy(e -> assertThat(e.unixMode()).isEqualTo(0100644));

        // the system unzip agrees and extracts bootstrap executable
        Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
        assertThat(
                        ExternalProcess.of("unzip", "-q", zip.toString(), "-d", unpacked.toString())
                                .run()
                                .ok())
                .isTrue();
        assertThat(
                        java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(unpacked.resolve("bootstrap"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(unpacked.resolve("collector.yaml")))
                .isEqualTo("receivers: {}\n");
        assertThat(Files.list(zip.getParent()).map(p -> p.getFileName().toString()))
                .containsExactly("bootstrap.zip");
    }

    @Test
    void sameInputsGiveIdenticalBytesWhateverTheFileTimesAndTimeZone() throws Exception {
        inputs();
        Path first = dir.resolve("a.zip");
        Path second = dir.resolve("b.zip");
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            LambdaZipWriter.withDosEpoch().write(first, bootstrap, includes);
            Files.setLastModifiedTime(
                    bootstrap, FileTime.from(Instant.parse("2024-06-01T12:00:00Z")));
            Files.setLastModifiedTime(dir.resolve("weights.json"), FileTime.from(Instant.now()));
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
            LambdaZipWriter.withDosEpoch().write(second, bootstrap, includes);
        } finally {
            TimeZone.setDefault(original);
        }
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));

        // a changed input changes the bytes
        Files.writeString(dir.resolve("weights.json"), "{\"2\":{}}");
        Path third = dir.resolve("c.zip");
        LambdaZipWriter.withDosEpoch().write(third, bootstrap, includes);
        assertThat(Files.readAllBytes(third)).isNotEqualTo(Files.readAllBytes(first));
    }

    @Test
    void sourceDateEpochSetsTheTimestampInUtc() throws Exception {
        inputs();
        Path zip = dir.resolve("sde.zip");
        LambdaZipWriter.forSourceDateEpoch("1700000001")
                .write(zip, bootstrap, includes); // 2023-11-14T22:13:21Z
        for (RawZip.Entry e : RawZip.parse(Files.readAllBytes(zip)).entries()) {
            assertThat(List.of(e.year(), e.month(), e.day(), e.hour(), e.minute(), e.second()))
                    .containsExactly(2023, 11, 14, 22, 13, 20);
        }
        assertThat(LambdaZipWriter.forSourceDateEpoch("0").timestamp().getYear())
                .as("clamped to DOS epoch")
                .isEqualTo(1980);
        assertThat(LambdaZipWriter.forSourceDateEpoch("").timestamp().getYear()).isEqualTo(1980);
        assertThatThrownBy(() -> LambdaZipWriter.forSourceDateEpoch("yesterday"))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("SOURCE_DATE_EPOCH='yesterday'")
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aMissingInputLeavesTheOldZipAndNoTemporaryFile() throws Exception {
        inputs();
        Path zip = dir.resolve("out.zip");
        LambdaZipWriter.withDosEpoch().write(zip, bootstrap, includes);
        byte[] before = Files.readAllBytes(zip);
        List<ZipInput> broken = List.of(new ZipInput("collector.yaml", dir.resolve("nope.yaml")));
        assertThatThrownBy(() -> LambdaZipWriter.withDosEpoch().write(zip, bootstrap, broken))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("nope.yaml")
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.NOT_FOUND);
        assertThat(Files.readAllBytes(zip)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void unsafeOrDuplicateIncludeNamesAreRefused() throws Exception {
        inputs();
        Path zip = dir.resolve("x.zip");
        for (String bad : List.of("../evil", "/etc/passwd", "bootstrap", "a/../../b")) {
            assertThatThrownBy(
                            () ->
                                    LambdaZipWriter.withDosEpoch()
                                            .write(
                                                    zip,
                                                    bootstrap,
                                                    List.of(
                                                            new ZipInput(
                                                                    bad,
                                                                    dir.resolve("weights.json")))))
                    .as(bad)
                    .isInstanceOf(PipelineException.class);
        }
        assertThat(zip).doesNotExist();
    }
}
