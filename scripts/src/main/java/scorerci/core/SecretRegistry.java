package scorerci.core;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every secret value this process knows, in one process-wide registry, so that every sink (Log's
 * stdout/stderr lines, annotations, the job summary, step outputs, error messages and stack traces)
 * can replace it with {@value #MASK} by VALUE, whatever text carried it there: a tool's error line
 * echoing a key, a URL inside an exception, a JSON body.
 *
 * <p>Register a value as soon as it is known: tokens and keys from the environment ({@link
 * #registerEnvironment}, done by Main for every command), signed-URL query strings ({@link
 * #registerSignedUrl}), Pulumi secret outputs (pulumi code calls {@link #register}). Listeners (the
 * Actions adapter) are told of each new value, to add-mask it in the runner too. Values shorter
 * than {@value #MIN_LENGTH} characters are ignored: masking "true" or "us" would garble every line
 * and protect nothing.
 */
public final class SecretRegistry {
    public static final String MASK = "***";
    public static final int MIN_LENGTH = 6;

    /** Environment variables always treated as secrets, whatever their name pattern says. */
    private static final Set<String> SECRET_VARIABLES =
            Set.of(
                    "GITHUB_TOKEN",
                    "GH_TOKEN",
                    "ACTIONS_RUNTIME_TOKEN",
                    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                    "AWS_SECRET_ACCESS_KEY",
                    "AWS_SESSION_TOKEN",
                    "PULUMI_ACCESS_TOKEN",
                    "PULUMI_CONFIG_PASSPHRASE",
                    "NPM_TOKEN",
                    "NODE_AUTH_TOKEN");

    private static final Pattern SECRET_NAME =
            Pattern.compile(
                    "(?i).*(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE_KEY|CREDENTIALS?|_KEY|_PAT)$");

    /** Names that match the pattern above but hold no secret. */
    private static final Set<String> NOT_SECRET =
            Set.of("AWS_ACCESS_KEY_ID", "ACTIONS_RUNTIME_URL", "SSH_AUTH_SOCK");

    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    /** Longest first, so a secret that contains another is masked whole. */
    private static volatile List<String> ordered = List.of();

    private static final List<Consumer<String>> LISTENERS = new CopyOnWriteArrayList<>();

    private SecretRegistry() {}

    /**
     * Adds a secret value (and its URL-encoded and -decoded forms). Null and short values are
     * ignored.
     */
    public static void register(String secret) {
        if (secret == null) return;
        String value = secret.strip();
        if (value.length() < MIN_LENGTH) return;
        boolean added = add(value);
        added |= add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        try {
            added |= add(URLDecoder.decode(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notEncoded) {
            // a value with a stray '%': its raw form is registered
        }
        if (added) {
            List<String> all = new ArrayList<>(VALUES);
            all.sort(Comparator.comparingInt(String::length).reversed());
            ordered = List.copyOf(all);
        }
    }

    private static boolean add(String value) {
        if (value.length() < MIN_LENGTH || !VALUES.add(value)) return false;
        for (Consumer<String> listener : LISTENERS) listener.accept(value);
        return true;
    }

    /**
     * A signed URL (Azure SAS, S3 presigned): the whole URL, its query string and the values of its
     * credential parameters, raw and decoded. Never parses with java.net.URI, so a malformed URL is
     * registered too instead of failing with the URL in the exception message.
     */
    public static void registerSignedUrl(String url) {
        if (url == null) return;
        register(url);
        int q = url.indexOf('?');
        if (q < 0) return;
        String query = url.substring(q + 1);
        int hash = query.indexOf('#');
        if (hash >= 0) query = query.substring(0, hash);
        register(query);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            // only the credential-bearing values: the other parameters (sv, se, sr, sp, act's
            // artifactName, ...) are not secret, and masking them would redact plain names such as
            // the artifact's from every log line and step output of the job
            if (eq > 0 && CREDENTIAL_PARAMETER.matcher(pair.substring(0, eq)).matches())
                register(pair.substring(eq + 1));
        }
    }

    /**
     * Query parameters that carry the credential of a signed URL: Azure SAS sig, S3
     * X-Amz-Signature/-Security-Token.
     */
    private static final Pattern CREDENTIAL_PARAMETER =
            Pattern.compile("(?i)sig|.*(signature|token|secret|credential).*");

    /**
     * Registers the values of the environment's secret variables (by known name or name pattern).
     */
    public static void registerEnvironment(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (isSecretName(e.getKey())) register(e.getValue());
        }
    }

    static boolean isSecretName(String name) {
        if (NOT_SECRET.contains(name)) return false;
        return SECRET_VARIABLES.contains(name) || SECRET_NAME.matcher(name).matches();
    }

    /** The text with every registered secret replaced by {@value #MASK}; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String result = text;
        for (String secret : ordered) {
            if (result.contains(secret)) result = result.replace(secret, MASK);
        }
        return result;
    }

    /** True if the text holds a registered secret. */
    public static boolean containsSecret(String text) {
        if (text == null) return false;
        for (String secret : ordered) if (text.contains(secret)) return true;
        return false;
    }

    /** Called with every value registered from now on (and not with earlier ones). */
    public static void onRegister(Consumer<String> listener) {
        LISTENERS.add(listener);
    }

    public static void removeListener(Consumer<String> listener) {
        LISTENERS.remove(listener);
    }
}
