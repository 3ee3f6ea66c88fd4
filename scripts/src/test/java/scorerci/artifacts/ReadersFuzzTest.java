package scorerci.artifacts;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import scorerci.core.PipelineException;
import scorerci.core.TempFiles;
import scorerci.elf.ElfFile;
import scorerci.elf.ElfFormatException;
import scorerci.zip.CentralDirectory;
import scorerci.zip.EntryNames;
import scorerci.zip.StreamingUnzip;

/**
 * Coverage-guided fuzzing (Jazzer) of the readers that parse bytes from outside: the ELF reader
 * (verify-zip, build-zip), the central-directory reader and the streaming extractor (download). The
 * first input byte picks the reader. The property: each either succeeds or refuses with its own
 * documented exception (ElfFormatException, CentralDirectory.Malformed, a PipelineException with an
 * exit code other than INTERNAL); never an unchecked surprise (index out of bounds, negative array
 * size, out of memory on a lying length) and never a file written outside its directory.
 *
 * <p>In the normal run (regression mode) the checked-in inputs under
 * src/test/resources/scorerci/artifacts/ReadersFuzzTestInputs run once each; the pom's "fuzz"
 * surefire execution sets JAZZER_FUZZ=1 and fuzzes for maxDuration, printing libFuzzer's exec/s
 * lines.
 */
class ReadersFuzzTest {
    private static final AtomicLong RUNS = new AtomicLong();
    private static Path scratch;

    @FuzzTest(maxDuration = "20s")
    void readersRefuseOrAcceptButNeverCrash(byte[] input) throws Exception {
        if (input.length == 0) return;
        byte[] data = Arrays.copyOfRange(input, 1, input.length);
        switch (input[0] & 3) {
            case 0 -> elf(data);
            case 1 -> centralDirectory(data);
            case 2 -> streaming(data);
            default -> EntryNames.unicodePathIn(data, 0, data.length);
        }
    }

    private static void elf(byte[] data) {
        try {
            ElfFile.Identity id = ElfFile.identify(data);
            id.describe();
            ElfFile elf = ElfFile.parse(data);
            elf.machineName();
            elf.highestGlibc();
            elf.interpreter();
        } catch (ElfFormatException expected) {
            // refused: fine
        }
    }

    private static void centralDirectory(byte[] data) {
        try {
            long length =
                    data.length
                            + (data.length > 0
                                    ? (data[0] & 0xff)
                                    : 0); // sometimes the tail is not the whole zip
            CentralDirectory.read(data, length);
        } catch (CentralDirectory.Malformed expected) {
            // refused: fine
        }
    }

    private static void streaming(byte[] data) throws IOException {
        if (scratch == null) {
            // tmpfs when there is one: the streaming case writes what it extracts, once per
            // execution
            Path shm = Path.of("/dev/shm");
            scratch =
                    Files.isDirectory(shm) && Files.isWritable(shm)
                            ? Files.createTempDirectory(shm, "readers-fuzz-")
                            : Files.createTempDirectory("readers-fuzz-");
        }
        Path into = Files.createDirectories(scratch.resolve(Long.toString(RUNS.incrementAndGet())));
        try {
            StreamingUnzip.extract(
                    new ByteArrayInputStream(data), into, 1 << 20, 1 << 16, (size, sha) -> {});
        } catch (PipelineException e) {
            if (e.exitCode() == scorerci.core.ExitCode.INTERNAL) throw e;
        } finally {
            try (var list =
                    Files.list(scratch)) { // each run has its own directory: anything else escaped
                list.filter(p -> !p.equals(into))
                        .findAny()
                        .ifPresent(
                                p -> {
                                    throw new AssertionError("wrote outside its directory: " + p);
                                });
            }
            TempFiles.delete(into);
        }
    }

    @AfterAll
    static void clean() {
        TempFiles.delete(scratch);
    }
}
