package scorerci.artifacts;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import scorerci.actions.Actions;

/**
 * Tokens and signed URLs that must never reach a log. Each one is masked in the Actions log as
 * soon as it is known, and every message this package builds from remote text is passed through
 * {@link #redact} before anyone prints it.
 */
public final class Secrets {
    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private final Actions actions;

    public Secrets(Actions actions) {
        this.actions = actions;
    }

    public static Secrets none() {
        return new Secrets(null);
    }

    public void add(String secret) {
        if (secret == null || secret.length() < 4) return;
        if (values.add(secret) && actions != null) actions.mask(secret);
    }

    /** A SAS URL: the whole URL, its query, and each signature value in raw and decoded form. */
    public void addSignedUrl(String url) {
        add(url);
        String query = URI.create(url).getRawQuery();
        if (query == null) return;
        add(query);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            String key = pair.substring(0, eq);
            if (key.equalsIgnoreCase("sig") || key.equalsIgnoreCase("token")) {
                String raw = pair.substring(eq + 1);
                add(raw);
                add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            }
        }
    }

    public String redact(String text) {
        if (text == null) return null;
        String result = text;
        for (String secret : values) result = result.replace(secret, "***");
        return result;
    }

    /** A URL fit for messages: scheme, host, port and path, never the query. */
    public static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }
}
