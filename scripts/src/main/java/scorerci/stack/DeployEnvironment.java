package scorerci.stack;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import scorerci.core.PipelineException;

/**
 * The three environments the scorer is deployed to, each one Pulumi stack of the passport-scorer
 * project (seed-pipeline.md, "Pulumi invocation").
 */
public enum DeployEnvironment {
    REVIEW,
    STAGING,
    PRODUCTION;

    public static final String ORGANIZATION = "passportxyz";
    public static final String PROJECT = "passport-scorer";

    /** The name users type: review, staging, production. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * passportxyz/passport-scorer/&lt;env&gt;, as the original workflows named the stacks on Pulumi
     * Cloud; {@link PulumiBackend#defaultStack} gives the name a self-managed backend accepts.
     */
    public String defaultStack() {
        return ORGANIZATION + "/" + PROJECT + "/" + id();
    }

    /**
     * Production asks the user to type its name, not just "yes": a stray Enter must not ship it.
     */
    public boolean confirmByTypingName() {
        return this == PRODUCTION;
    }

    public static DeployEnvironment parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (DeployEnvironment e : values()) {
            if (e.id().equals(wanted)) return e;
        }
        throw PipelineException.usage("unknown environment '" + text + "': use one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(DeployEnvironment::id).collect(Collectors.joining(", "));
    }
}
