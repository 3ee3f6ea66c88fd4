package scorerci.elf;

/** The bytes are not a well-formed ELF file (bad magic, truncated, offsets out of range). */
public class ElfFormatException extends RuntimeException {
    public ElfFormatException(String message) {
        super(message);
    }
}
