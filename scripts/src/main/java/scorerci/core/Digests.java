package scorerci.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SHA-256 of files in the two encodings the pipeline meets: hex (artifacts) and base64 (Lambda's
 * CodeSha256).
 */
public final class Digests {
    private Digests() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static byte[] sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
        }
        return digest.digest();
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * CodeSha256 as GetFunctionConfiguration returns it: standard, padded base64 of the raw digest.
     */
    public static String codeSha256(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }
}
