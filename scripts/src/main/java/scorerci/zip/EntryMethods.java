package scorerci.zip;

/**
 * The one rule for entry compression methods, shared by the verifier and both extractors: only
 * STORED (0) and DEFLATED (8), what the writer produces, what Lambda and every unzip read. Anything
 * else is refused before a decompressor is asked for: commons-compress would otherwise reach for
 * optional codecs (zstd, xz) that are not on the class path and fail with a NoClassDefFoundError
 * (found by ReadersFuzzTest: a 76-byte zip with method 20 crashed the download).
 */
public final class EntryMethods {
    private EntryMethods() {}

    /**
     * Why {@code method} is refused, as a phrase that follows "entry 'NAME' ", or null when it is
     * fine.
     */
    public static String problem(int method) {
        if (method == 0 || method == 8) return null;
        return "uses compression method "
                + method
                + "; only stored (0) and deflated (8) entries are accepted";
    }
}
