package scorerci.elf;

/** Names of the e_machine values a Lambda author is likely to meet. */
public final class ElfMachine {
    public static final int X86 = 3;
    public static final int ARM = 40;
    public static final int X86_64 = 62;
    public static final int AARCH64 = 183;
    public static final int RISCV = 243;

    private ElfMachine() {}

    /** The architecture as Lambda and uname spell it ("aarch64", "x86_64"), or "e_machine N". */
    public static String name(int machine) {
        return switch (machine) {
            case X86 -> "i386";
            case ARM -> "arm (32-bit)";
            case X86_64 -> "x86_64";
            case AARCH64 -> "aarch64";
            case RISCV -> "riscv";
            default -> "e_machine " + machine;
        };
    }
}
