package scorerci.net;

import java.net.URI;
import scorerci.core.Actions;
import scorerci.core.SecretRegistry;

/**
 * This package's door to the process-wide {@link SecretRegistry}: tokens and signed URLs are
 * registered as soon as they are known (and so redacted in every sink, and add-masked in the
 * Actions log by Main's listener), and every message this package builds from remote text is passed
 * through {@link #redact} before anyone prints it.
 */
public final class Secrets {
    /**
     * @param actions kept for callers' compatibility; masking goes through the registry's listener
     */
    public Secrets(Actions actions) {}

    public static Secrets none() {
        return new Secrets(null);
    }

    public void add(String secret) {
        SecretRegistry.register(secret);
    }

    /**
     * A SAS URL: the whole URL, its query, and each query value in raw and decoded form; malformed
     * URLs too.
     */
    public void addSignedUrl(String url) {
        SecretRegistry.registerSignedUrl(url);
    }

    public String redact(String text) {
        return SecretRegistry.redact(text);
    }

    /** A URL fit for messages: scheme, host, port and path, never the query. */
    public static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }
}
