package scorerci.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ELF header and version-needs reading, on binaries compiled by the test with real compilers. */
class ElfFileTest {
    @TempDir Path dir;

    @Test
    void readsAnAarch64BinaryAndItsGlibcVersionsLikeBinutils() throws Exception {
        Path hello = ElfFixtures.aarch64(dir, "hello", ElfFixtures.HELLO);
        ElfFile elf = ElfFile.read(hello);

        assertThat(elf.is64Bit()).isTrue();
        assertThat(elf.isLittleEndian()).isTrue();
        assertThat(elf.machine()).isEqualTo(ElfMachine.AARCH64);
        assertThat(elf.machineName()).isEqualTo("aarch64");
        assertThat(elf.interpreter()).isEqualTo("/lib/ld-linux-aarch64.so.1");
        assertThat(elf.versionNeeds()).extracting(ElfFile.VersionNeed::file).contains("libc.so.6");
        // cross-check against binutils' own reading of .gnu.version_r
        List<String> expected =
                ElfFixtures.objdumpGlibcVersions("aarch64-linux-gnu-objdump", hello).stream()
                        .map(GlibcVersion::parse)
                        .sorted()
                        .map(GlibcVersion::toString)
                        .toList();
        assertThat(elf.glibcVersions())
                .extracting(GlibcVersion::toString)
                .containsExactlyElementsOf(expected);
        assertThat(elf.highestGlibc()).map(GlibcVersion::toString).contains("2.34");
    }

    @Test
    void findsTheNewerGlibcThatArc4randomNeeds() throws Exception {
        ElfFile elf = ElfFile.read(ElfFixtures.aarch64(dir, "arc4", ElfFixtures.NEEDS_GLIBC_236));
        assertThat(elf.highestGlibc()).map(GlibcVersion::toString).contains("2.36");
        assertThat(elf.versionNeeds()).contains(new ElfFile.VersionNeed("libc.so.6", "GLIBC_2.36"));
    }

    @Test
    void readsAnX86_64Binary() throws Exception {
        ElfFile elf = ElfFile.read(ElfFixtures.x86_64(dir, "host", ElfFixtures.HELLO));
        assertThat(elf.machine()).isEqualTo(ElfMachine.X86_64);
        assertThat(elf.machineName()).isEqualTo("x86_64");
        assertThat(elf.interpreter()).isEqualTo("/lib64/ld-linux-x86-64.so.2");
        assertThat(elf.highestGlibc()).isPresent();
    }

    @Test
    void aStaticBinaryNeedsNoGlibcVersion() throws Exception {
        ElfFile elf =
                ElfFile.read(ElfFixtures.aarch64(dir, "static", ElfFixtures.HELLO, "-static"));
        assertThat(elf.machine()).isEqualTo(ElfMachine.AARCH64);
        assertThat(elf.interpreter()).isNull();
        assertThat(elf.highestGlibc()).isEmpty();
    }

    @Test
    void withoutSectionHeadersTheDynamicSegmentIsRead() throws Exception {
        byte[] bytes =
                Files.readAllBytes(ElfFixtures.aarch64(dir, "hello", ElfFixtures.NEEDS_GLIBC_236));
        // what sstrip does: forget the section header table (e_shoff, e_shnum, e_shstrndx = 0)
        Arrays.fill(bytes, 0x28, 0x30, (byte) 0);
        Arrays.fill(bytes, 0x3C, 0x40, (byte) 0);
        ElfFile elf = ElfFile.parse(bytes);
        assertThat(elf.highestGlibc()).map(GlibcVersion::toString).contains("2.36");
    }

    @Test
    void truncatedAndForeignFilesAreFormatErrorsNotCrashes() throws Exception {
        byte[] bytes = Files.readAllBytes(ElfFixtures.aarch64(dir, "hello", ElfFixtures.HELLO));
        assertThatThrownBy(() -> ElfFile.parse(Arrays.copyOf(bytes, 200)))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> ElfFile.parse("#!/bin/sh\necho hi\n".getBytes()))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("script");
        assertThatThrownBy(() -> ElfFile.parse(new byte[0]))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("empty");
        // every prefix either parses or fails cleanly
        for (int len = 0; len < 4096; len += 7) {
            byte[] prefix = Arrays.copyOf(bytes, len);
            try {
                ElfFile.parse(prefix);
            } catch (ElfFormatException expected) {
                // fine
            }
        }
    }

    @Test
    void anOffsetNearLongMaxIsAFormatErrorNotAnOverflow() throws Exception {
        byte[] bytes = Files.readAllBytes(ElfFixtures.aarch64(dir, "hello", ElfFixtures.HELLO));
        // e_phoff = 0x7fff_ffff_ffff_ffff: offset + 4 overflows to a negative number
        for (int field : new int[] {0x20, 0x28}) { // e_phoff, e_shoff
            byte[] hostile = bytes.clone();
            java.nio.ByteBuffer.wrap(hostile)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(field, Long.MAX_VALUE);
            assertThatThrownBy(() -> ElfFile.parse(hostile).highestGlibc())
                    .isInstanceOf(ElfFormatException.class);
        }
        // the input the fuzz test found on a bare machine (also in its corpus)
        byte[] found =
                Files.readAllBytes(
                        Path.of(
                                "scripts/src/test/resources/scorerci/artifacts/ReadersFuzzTestInputs/"
                                        + "readersRefuseOrAcceptButNeverCrash/"
                                        + "crash-d4e7a21c873349f6f9990d0886f281c4e1ed0a82"));
        assertThatThrownBy(() -> ElfFile.parse(Arrays.copyOfRange(found, 1, found.length)))
                .isInstanceOf(ElfFormatException.class);
    }

    @Test
    void glibcVersionsCompareNumerically() {
        assertThat(GlibcVersion.parse("2.9")).isLessThan(GlibcVersion.parse("2.34"));
        assertThat(GlibcVersion.parse("GLIBC_2.3.4")).isLessThan(GlibcVersion.parse("2.4"));
        assertThat(GlibcVersion.parse("2.34")).isEqualTo(GlibcVersion.parse("2.34.0"));
        assertThat(GlibcVersion.parseOrNull("GLIBC_PRIVATE")).isNull();
        assertThat(GlibcVersion.parse("GLIBC_2.39").symbolName()).isEqualTo("GLIBC_2.39");
        assertThatThrownBy(() -> GlibcVersion.parse("two")).hasMessageContaining("like 2.34");
    }
}
