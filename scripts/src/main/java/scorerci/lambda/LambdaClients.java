package scorerci.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import scorerci.core.OutsideText;
import scorerci.core.PipelineException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Builds the Lambda client every command uses, from one place.
 *
 * <ul>
 *   <li>Region: the {@code --region} option, else {@value #DEFAULT_REGION} (the stacks' region).
 *       The ambient AWS_REGION is deliberately not used: the stacks live in one region, and a
 *       developer's shell default must not make the check look at an empty region.
 *   <li>Endpoint: {@code --endpoint-url}, else AWS_ENDPOINT_URL_LAMBDA, else AWS_ENDPOINT_URL (read
 *       from the injected environment; the SDK 2.57 also reads both from the process environment by
 *       itself, this makes in-process tests and real runs behave the same;
 *       AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true switches the variables off, as in the SDK). Unset:
 *       the real regional endpoint.
 *   <li>Credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN) from the
 *       injected environment if both are set, else the SDK's default chain (profiles, SSO, web
 *       identity for GitHub OIDC, container and instance roles).
 *   <li>HTTP: the JDK's URLConnection client: no Netty/Apache start-up cost for a handful of calls.
 * </ul>
 */
public final class LambdaClients {
    public static final String DEFAULT_REGION = "us-west-2";

    static {
        // the SDK logs through slf4j-api without a binding; slf4j 2 then prints a three-line
        // "No SLF4J providers" warning on stderr of every run. Errors still show.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private LambdaClients() {}

    /** Where and as whom to call Lambda. {@code endpoint} null means the real AWS endpoint. */
    public record Settings(
            Region region, URI endpoint, AwsCredentialsProvider credentials, Timeouts timeouts) {
        public Settings(Region region, URI endpoint, AwsCredentialsProvider credentials) {
            this(region, endpoint, credentials, Timeouts.defaults());
        }
    }

    /** Resolves the settings as described in the class comment; options may be null. */
    public static Settings resolve(
            Map<String, String> env, String regionOption, String endpointOption) {
        String regionId = blankToNull(regionOption) == null ? DEFAULT_REGION : regionOption.trim();
        if (!regionId.matches("[a-z]{2}(-[a-z0-9]+)+-\\d+")) {
            throw PipelineException.usage(
                    "region '"
                            + OutsideText.escape(regionId)
                            + "' is not an AWS region name;"
                            + " write it like us-west-2");
        }
        Region region = Region.of(regionId);
        // the SDK's own switch for "ignore the endpoint variables" is honoured here too
        boolean ignoreEnv =
                "true"
                        .equalsIgnoreCase(
                                String.valueOf(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
                                        .trim());
        String endpoint =
                ignoreEnv
                        ? firstSet(endpointOption)
                        : firstSet(
                                endpointOption,
                                env.get("AWS_ENDPOINT_URL_LAMBDA"),
                                env.get("AWS_ENDPOINT_URL"));
        return new Settings(
                region,
                endpoint == null ? null : endpointUri(endpoint),
                credentials(env),
                Timeouts.fromEnv(env));
    }

    /**
     * The AWS side of the one deadline model (README "Reliability"): connect, per-read socket
     * (stall) and per-attempt limits, and one wall-clock limit for the whole API call, retries
     * included, so a peer that accepts and never answers fails in about a minute.
     *
     * @param attempt a smoke Invoke may wait for a cold start plus the 30 s function timeout
     */
    public record Timeouts(Duration connect, Duration attempt, Duration call) {
        public static Timeouts defaults() {
            return new Timeouts(
                    Duration.ofSeconds(10), Duration.ofSeconds(45), Duration.ofSeconds(60));
        }

        /**
         * Defaults overridden by SCORER_NET_CONNECT_TIMEOUT_MS, SCORER_AWS_ATTEMPT_TIMEOUT_MS,
         * SCORER_AWS_CALL_TIMEOUT_MS.
         */
        public static Timeouts fromEnv(Map<String, String> env) {
            Timeouts d = defaults();
            return new Timeouts(
                    millis(env, "SCORER_NET_CONNECT_TIMEOUT_MS", d.connect),
                    millis(env, "SCORER_AWS_ATTEMPT_TIMEOUT_MS", d.attempt),
                    millis(env, "SCORER_AWS_CALL_TIMEOUT_MS", d.call));
        }

        private static Duration millis(Map<String, String> env, String name, Duration fallback) {
            String value = env.get(name);
            if (value == null || value.isBlank()) return fallback;
            try {
                long ms = Long.parseLong(value.trim());
                if (ms < 1) throw new NumberFormatException();
                return Duration.ofMillis(ms);
            } catch (NumberFormatException e) {
                throw PipelineException.usage(
                        name
                                + "='"
                                + value
                                + "' is not a positive number of milliseconds; unset it or fix it");
            }
        }
    }

    public static LambdaClient create(Settings settings) {
        Timeouts t = settings.timeouts();
        var builder =
                LambdaClient.builder()
                        .region(settings.region())
                        .credentialsProvider(settings.credentials())
                        .overrideConfiguration(
                                o -> o.apiCallAttemptTimeout(t.attempt()).apiCallTimeout(t.call()))
                        .httpClientBuilder(
                                UrlConnectionHttpClient.builder()
                                        .connectionTimeout(t.connect())
                                        .socketTimeout(t.attempt()));
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        return builder.build();
    }

    public static LambdaClient create(
            Map<String, String> env, String regionOption, String endpointOption) {
        return create(resolve(env, regionOption, endpointOption));
    }

    /** A one-line description for logs: region and endpoint, never credentials. */
    public static String describe(Settings settings) {
        return settings.region().id()
                + (settings.endpoint() == null ? "" : " via " + settings.endpoint());
    }

    static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        if (key == null || secret == null) return DefaultCredentialsProvider.builder().build();
        String token = blankToNull(env.get("AWS_SESSION_TOKEN"));
        return StaticCredentialsProvider.create(
                token == null
                        ? AwsBasicCredentials.create(key, secret)
                        : AwsSessionCredentials.create(key, secret, token));
    }

    private static URI endpointUri(String text) {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw PipelineException.usage(
                    "endpoint URL '"
                            + text
                            + "' is not a URL; write it like http://127.0.0.1:5000");
        }
        if (uri.getScheme() == null
                || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw PipelineException.usage(
                    "endpoint URL '"
                            + text
                            + "' needs http:// or https:// and a host, "
                            + "like http://127.0.0.1:5000");
        }
        return uri;
    }

    private static String firstSet(String... values) {
        for (String v : values) if (blankToNull(v) != null) return v.trim();
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
