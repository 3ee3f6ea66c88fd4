package scorerci.pulumi;

import java.util.Locale;
import java.util.Map;
import scorerci.stack.DeployEnvironment;

/**
 * Where Pulumi keeps the stacks, which decides how a stack is named. Pulumi Cloud (app.pulumi.com,
 * or a self-hosted Pulumi Cloud at an https URL) has real organizations: the stacks are
 * passportxyz/passport-scorer/&lt;env&gt;. A self-managed ("DIY") backend (file://, s3://,
 * azblob://, gs://, postgres://) knows no organizations and accepts only the literal org name
 * {@code organization} (the real CLI: "organization name must be 'organization'"); its stacks are
 * also encrypted with a passphrase unless the stack names another secrets provider.
 *
 * @param url the backend URL as Pulumi reports it
 */
public record PulumiBackend(String url, boolean selfManaged) {
    public static final String CLOUD_URL = "https://api.pulumi.com";

    /** The only organization a self-managed backend accepts. */
    public static final String SELF_MANAGED_ORGANIZATION = "organization";

    public static PulumiBackend of(String url) {
        String scheme =
                url.contains("://")
                        ? url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT)
                        : "";
        boolean selfManaged =
                switch (scheme) {
                    case "file", "s3", "azblob", "gs", "postgres", "postgresql" -> true;
                    default -> false;
                };
        return new PulumiBackend(url, selfManaged);
    }

    /**
     * The backend the environment names (PULUMI_BACKEND_URL, else Pulumi Cloud for a token), or
     * null.
     */
    public static PulumiBackend fromEnvironment(Map<String, String> env) {
        String url = env.get("PULUMI_BACKEND_URL");
        if (url != null && !url.isBlank()) return of(url.strip());
        String token = env.get("PULUMI_ACCESS_TOKEN");
        if (token != null && !token.isBlank()) return of(CLOUD_URL);
        return null;
    }

    /** The organization part of this backend's stack names. */
    public String organization() {
        return selfManaged ? SELF_MANAGED_ORGANIZATION : DeployEnvironment.ORGANIZATION;
    }

    /**
     * passportxyz/passport-scorer/&lt;env&gt; on Pulumi Cloud,
     * organization/passport-scorer/&lt;env&gt; self-managed.
     */
    public String defaultStack(DeployEnvironment environment) {
        return organization() + "/" + DeployEnvironment.PROJECT + "/" + environment.id();
    }

    public String describe() {
        return (selfManaged ? "self-managed Pulumi backend " : "Pulumi Cloud ") + url;
    }
}
