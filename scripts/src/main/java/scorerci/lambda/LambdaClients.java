package scorerci.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import scorerci.cli.PipelineException;

/**
 * Builds the Lambda client every command uses, from one place.
 *
 * <ul>
 *   <li>Region: the {@code --region} option, else {@value #DEFAULT_REGION} (the stacks' region). The
 *       ambient AWS_REGION is deliberately not used: the stacks live in one region, and a developer's
 *       shell default must not make the check look at an empty region.</li>
 *   <li>Endpoint: {@code --endpoint-url}, else AWS_ENDPOINT_URL_LAMBDA, else AWS_ENDPOINT_URL (read from
 *       the injected environment; the SDK 2.57 also reads both from the process environment by itself,
 *       this makes in-process tests and real runs behave the same; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
 *       switches the variables off, as in the SDK). Unset: the real regional endpoint.</li>
 *   <li>Credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN) from the injected
 *       environment if both are set, else the SDK's default chain (profiles, SSO, web identity for
 *       GitHub OIDC, container and instance roles).</li>
 *   <li>HTTP: the JDK's URLConnection client: no Netty/Apache start-up cost for a handful of calls.</li>
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
    public record Settings(Region region, URI endpoint, AwsCredentialsProvider credentials) {}

    /** Resolves the settings as described in the class comment; options may be null. */
    public static Settings resolve(Map<String, String> env, String regionOption, String endpointOption) {
        Region region = Region.of(blankToNull(regionOption) == null ? DEFAULT_REGION : regionOption.trim());
        // the SDK's own switch for "ignore the endpoint variables" is honoured here too
        boolean ignoreEnv = "true".equalsIgnoreCase(String.valueOf(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")).trim());
        String endpoint = ignoreEnv ? firstSet(endpointOption)
                : firstSet(endpointOption, env.get("AWS_ENDPOINT_URL_LAMBDA"), env.get("AWS_ENDPOINT_URL"));
        return new Settings(region, endpoint == null ? null : endpointUri(endpoint), credentials(env));
    }

    public static LambdaClient create(Settings settings) {
        var builder = LambdaClient.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        // a smoke Invoke may wait for a cold start plus the 30 s function timeout
                        .socketTimeout(Duration.ofSeconds(70)));
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        return builder.build();
    }

    public static LambdaClient create(Map<String, String> env, String regionOption, String endpointOption) {
        return create(resolve(env, regionOption, endpointOption));
    }

    /** A one-line description for logs: region and endpoint, never credentials. */
    public static String describe(Settings settings) {
        return settings.region().id() + (settings.endpoint() == null ? "" : " via " + settings.endpoint());
    }

    static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        if (key == null || secret == null) return DefaultCredentialsProvider.builder().build();
        String token = blankToNull(env.get("AWS_SESSION_TOKEN"));
        return StaticCredentialsProvider.create(token == null
                ? AwsBasicCredentials.create(key, secret)
                : AwsSessionCredentials.create(key, secret, token));
    }

    private static URI endpointUri(String text) {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw PipelineException.usage("endpoint URL '" + text + "' is not a URL; write it like http://127.0.0.1:5000");
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw PipelineException.usage("endpoint URL '" + text + "' needs http:// or https:// and a host, "
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
