package scorerci.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The facts of an ELF file that decide whether it runs on Lambda: class, byte order, machine,
 * program interpreter and the symbol versions it needs from shared libraries.
 *
 * <p>Version needs come from the SHT_GNU_verneed section (.gnu.version_r): a chain of Verneed
 * records (one per library) each with a chain of Vernaux records (one per version such as
 * GLIBC_2.34), names resolved in the string table the section links to. Files without section
 * headers fall back to the dynamic segment's DT_VERNEED. Both ELF classes and byte orders are read,
 * so a wrong binary is described, not rejected as garbage. Every offset is bounds-checked: a
 * truncated file is an ElfFormatException.
 */
public final class ElfFile {
    public static final int CLASS_32 = 1;
    public static final int CLASS_64 = 2;
    public static final int DATA_LSB = 1;
    public static final int DATA_MSB = 2;

    static final int SHT_GNU_VERNEED = 0x6ffffffe;
    static final int PT_LOAD = 1;
    static final int PT_DYNAMIC = 2;
    static final int PT_INTERP = 3;
    static final long DT_NULL = 0;
    static final long DT_STRTAB = 5;
    static final long DT_STRSZ = 10;
    static final long DT_VERNEED = 0x6ffffffeL;
    static final long DT_VERNEEDNUM = 0x6fffffffL;

    /** One needed symbol version: the library that provides it and the version name. */
    public record VersionNeed(String file, String version) {}

    private final ByteBuffer buf;
    private final int elfClass;
    private final int data;
    private final int type;
    private final int machine;
    private final String interpreter;
    private final List<VersionNeed> versionNeeds;

    private ElfFile(byte[] bytes) {
        if (bytes.length < 20
                || bytes[0] != 0x7f
                || bytes[1] != 'E'
                || bytes[2] != 'L'
                || bytes[3] != 'F') {
            throw new ElfFormatException("not an ELF file (" + describeStart(bytes) + ")");
        }
        elfClass = bytes[4];
        data = bytes[5];
        if (elfClass != CLASS_32 && elfClass != CLASS_64)
            throw new ElfFormatException("unknown ELF class " + elfClass);
        if (data != DATA_LSB && data != DATA_MSB)
            throw new ElfFormatException("unknown ELF byte order " + data);
        buf =
                ByteBuffer.wrap(bytes)
                        .order(data == DATA_LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        type = u16(16);
        machine = u16(18);
        List<Segment> segments = readSegments();
        interpreter = readInterpreter(segments);
        List<VersionNeed> fromSections = readVersionNeedsFromSections();
        versionNeeds = fromSections != null ? fromSections : readVersionNeedsFromDynamic(segments);
    }

    public static ElfFile parse(byte[] bytes) {
        return new ElfFile(bytes);
    }

    public static ElfFile read(Path file) throws IOException {
        return new ElfFile(Files.readAllBytes(file));
    }

    /** The ELF identification and machine, readable even when the rest of the file is not. */
    public record Identity(int elfClass, int data, int machine) {
        public boolean is64Bit() {
            return elfClass == CLASS_64;
        }

        public boolean isLittleEndian() {
            return data == DATA_LSB;
        }

        public String machineName() {
            return ElfMachine.name(machine);
        }

        /** "64-bit big-endian aarch64" */
        public String describe() {
            return (elfClass == CLASS_64 ? "64" : elfClass == CLASS_32 ? "32" : "unknown-class")
                    + "-bit "
                    + (data == DATA_LSB ? "little" : data == DATA_MSB ? "big" : "unknown")
                    + "-endian "
                    + machineName();
        }
    }

    /**
     * Reads only e_ident and e_machine (the first 20 bytes), so a binary for another class or byte
     * order is described as what it is, not rejected as "truncated" when its offsets are read in
     * the byte order we expect.
     */
    public static Identity identify(byte[] bytes) {
        if (!isElf(bytes) || bytes.length < 20)
            throw new ElfFormatException("not an ELF file (" + describeStart(bytes) + ")");
        int elfClass = bytes[4];
        int data = bytes[5];
        int machine =
                data == DATA_MSB
                        ? ((bytes[18] & 0xff) << 8) | (bytes[19] & 0xff)
                        : ((bytes[19] & 0xff) << 8) | (bytes[18] & 0xff);
        return new Identity(elfClass, data, machine);
    }

    /** True if the bytes start with the ELF magic. */
    public static boolean isElf(byte[] bytes) {
        return bytes.length >= 4
                && bytes[0] == 0x7f
                && bytes[1] == 'E'
                && bytes[2] == 'L'
                && bytes[3] == 'F';
    }

    public int elfClass() {
        return elfClass;
    }

    public boolean is64Bit() {
        return elfClass == CLASS_64;
    }

    public int dataEncoding() {
        return data;
    }

    public boolean isLittleEndian() {
        return data == DATA_LSB;
    }

    public int type() {
        return type;
    }

    public int machine() {
        return machine;
    }

    public String machineName() {
        return ElfMachine.name(machine);
    }

    /** The PT_INTERP path (e.g. /lib/ld-linux-aarch64.so.1), or null for a static binary. */
    public String interpreter() {
        return interpreter;
    }

    public List<VersionNeed> versionNeeds() {
        return versionNeeds;
    }

    /** Every GLIBC_x.y version needed, any library (libc, libm, ld-linux ...), sorted ascending. */
    public List<GlibcVersion> glibcVersions() {
        return versionNeeds.stream()
                .map(need -> GlibcVersion.parseOrNull(need.version()))
                .filter(v -> v != null)
                .distinct()
                .sorted()
                .toList();
    }

    /**
     * The newest GLIBC_x.y the loader must provide; empty when none (static or non-glibc binary).
     */
    public Optional<GlibcVersion> highestGlibc() {
        return glibcVersions().stream().max(Comparator.naturalOrder());
    }

    // --- program headers -----------------------------------------------------------

    private record Segment(long type, long offset, long vaddr, long fileSize) {}

    private List<Segment> readSegments() {
        long phoff = is64Bit() ? u64(0x20) : u32(0x1C);
        int phentsize = u16(is64Bit() ? 0x36 : 0x2A);
        int phnum = u16(is64Bit() ? 0x38 : 0x2C);
        List<Segment> segments = new ArrayList<>();
        if (phoff == 0 || phnum == 0) return segments;
        if (phentsize < (is64Bit() ? 56 : 32))
            throw new ElfFormatException(
                    "program header entry size " + phentsize + " is too small");
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (is64Bit()) {
                segments.add(new Segment(u32(at), u64(at + 8), u64(at + 16), u64(at + 32)));
            } else {
                segments.add(new Segment(u32(at), u32(at + 4), u32(at + 8), u32(at + 16)));
            }
        }
        return segments;
    }

    private String readInterpreter(List<Segment> segments) {
        for (Segment s : segments) {
            if (s.type == PT_INTERP) return string(s.offset, s.offset + s.fileSize);
        }
        return null;
    }

    // --- section headers: SHT_GNU_verneed ------------------------------------------

    private record Section(long type, long offset, long size, long link, long info) {}

    /** Null when the file has no section headers (then the dynamic segment is used). */
    private List<VersionNeed> readVersionNeedsFromSections() {
        long shoff = is64Bit() ? u64(0x28) : u32(0x20);
        int shentsize = u16(is64Bit() ? 0x3A : 0x2E);
        int shnum = u16(is64Bit() ? 0x3C : 0x30);
        if (shoff == 0 || shnum == 0) return null;
        if (shentsize < (is64Bit() ? 64 : 40))
            throw new ElfFormatException(
                    "section header entry size " + shentsize + " is too small");
        List<Section> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long at = shoff + (long) i * shentsize;
            if (is64Bit()) {
                sections.add(
                        new Section(
                                u32(at + 4),
                                u64(at + 24),
                                u64(at + 32),
                                u32(at + 40),
                                u32(at + 44)));
            } else {
                sections.add(
                        new Section(
                                u32(at + 4),
                                u32(at + 16),
                                u32(at + 20),
                                u32(at + 24),
                                u32(at + 28)));
            }
        }
        List<VersionNeed> needs = new ArrayList<>();
        for (Section s : sections) {
            if (s.type != SHT_GNU_VERNEED) continue;
            if (s.link >= sections.size())
                throw new ElfFormatException(
                        "version-needs section links to missing section " + s.link);
            Section strings = sections.get((int) s.link);
            walkVerneed(
                    s.offset,
                    s.offset + s.size,
                    s.info,
                    strings.offset,
                    strings.offset + strings.size,
                    needs);
        }
        return needs;
    }

    // --- dynamic segment: DT_VERNEED (files stripped of section headers) -----------

    private List<VersionNeed> readVersionNeedsFromDynamic(List<Segment> segments) {
        List<VersionNeed> needs = new ArrayList<>();
        Segment dynamic =
                segments.stream().filter(s -> s.type == PT_DYNAMIC).findFirst().orElse(null);
        if (dynamic == null) return needs;
        long strtab = -1, strsz = -1, verneed = -1, verneednum = -1;
        int entry = is64Bit() ? 16 : 8;
        for (long at = dynamic.offset;
                at + entry <= dynamic.offset + dynamic.fileSize;
                at += entry) {
            long tag = is64Bit() ? u64(at) : u32(at);
            long value = is64Bit() ? u64(at + 8) : u32(at + 4);
            if (tag == DT_NULL) break;
            if (tag == DT_STRTAB) strtab = value;
            else if (tag == DT_STRSZ) strsz = value;
            else if (tag == DT_VERNEED) verneed = value;
            else if (tag == DT_VERNEEDNUM) verneednum = value;
        }
        if (verneed < 0 || strtab < 0) return needs;
        long stringsAt = fileOffsetOf(strtab, segments);
        long stringsEnd = strsz >= 0 ? stringsAt + strsz : buf.capacity();
        long verneedAt = fileOffsetOf(verneed, segments);
        walkVerneed(
                verneedAt,
                buf.capacity(),
                verneednum < 0 ? Long.MAX_VALUE : verneednum,
                stringsAt,
                stringsEnd,
                needs);
        return needs;
    }

    private long fileOffsetOf(long vaddr, List<Segment> segments) {
        for (Segment s : segments) {
            if (s.type == PT_LOAD && vaddr >= s.vaddr && vaddr < s.vaddr + s.fileSize)
                return s.offset + (vaddr - s.vaddr);
        }
        throw new ElfFormatException(
                "dynamic address 0x"
                        + Long.toHexString(vaddr)
                        + " is outside every loadable segment");
    }

    /**
     * Verneed { u16 vn_version; u16 vn_cnt; u32 vn_file; u32 vn_aux; u32 vn_next } and Vernaux {
     * u32 vna_hash; u16 vna_flags; u16 vna_other; u32 vna_name; u32 vna_next }, the same layout in
     * both classes; offsets are relative to the current record.
     */
    private void walkVerneed(
            long start, long end, long count, long strStart, long strEnd, List<VersionNeed> needs) {
        long at = start;
        // a hostile file could loop forever through vn_next = 0 chains; the count and the size
        // bound it
        for (long n = 0; n < count && at + 16 <= end; n++) {
            int version = u16(at);
            if (version != 1)
                throw new ElfFormatException("unsupported Verneed version " + version);
            int auxCount = u16(at + 2);
            String file = string(strStart + u32(at + 4), strEnd);
            long aux = at + u32(at + 8);
            for (int i = 0; i < auxCount; i++) {
                if (aux + 16 > end)
                    throw new ElfFormatException("Vernaux record beyond the version-needs section");
                needs.add(new VersionNeed(file, string(strStart + u32(aux + 8), strEnd)));
                long next = u32(aux + 12);
                if (next == 0) break;
                aux += next;
            }
            long next = u32(at + 12);
            if (next == 0) break;
            at += next;
        }
    }

    // --- bounds-checked primitive reads --------------------------------------------

    private void check(long offset, int width) {
        // offset > capacity - width, not offset + width > capacity: a header's offset near
        // Long.MAX_VALUE would overflow the sum to a negative number and pass (a fuzz finding)
        if (offset < 0 || offset > (long) buf.capacity() - width) {
            throw new ElfFormatException(
                    "truncated ELF file: read of "
                            + width
                            + " bytes at offset "
                            + offset
                            + " beyond its "
                            + buf.capacity()
                            + " bytes");
        }
    }

    private int u16(long offset) {
        check(offset, 2);
        return Short.toUnsignedInt(buf.getShort((int) offset));
    }

    private long u32(long offset) {
        check(offset, 4);
        return Integer.toUnsignedLong(buf.getInt((int) offset));
    }

    private long u64(long offset) {
        check(offset, 8);
        long value = buf.getLong((int) offset);
        if (value < 0)
            throw new ElfFormatException(
                    "offset or size 0x" + Long.toHexString(value) + " is out of range");
        return value;
    }

    private String string(long offset, long limit) {
        long end = Math.min(limit, buf.capacity());
        long at = offset;
        if (at < 0 || at >= end)
            throw new ElfFormatException("string at offset " + offset + " is outside its table");
        while (at < end && buf.get((int) at) != 0) at++;
        byte[] bytes = new byte[(int) (at - offset)];
        buf.get((int) offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String describeStart(byte[] bytes) {
        if (bytes.length == 0) return "the file is empty";
        if (bytes.length >= 2 && bytes[0] == '#' && bytes[1] == '!')
            return "it is a script starting with #!";
        StringBuilder hex = new StringBuilder("starts with");
        for (int i = 0; i < Math.min(4, bytes.length); i++)
            hex.append(String.format(" %02x", bytes[i]));
        return hex.toString();
    }
}
