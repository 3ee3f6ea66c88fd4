package scorerci.pulumi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import scorerci.cli.PipelineException;
import scorerci.process.ExternalProcess;

/**
 * The rust scorer function as the stack reports it after `pulumi up`, from
 * `pulumi stack output --json` (outputs exported by infra/aws/index.ts).
 *
 * @param publishedVersion the version this `up` published (the alias is moved later by `rollout`), or null
 * @param codeSha256 what Pulumi deployed, as Lambda reports it (base64 SHA-256), or null if not exported
 */
public record DeployedFunction(String functionName, String functionArn, String publishedVersion, String aliasName,
                               String aliasArn, String codeSha256) {
    public static final String FUNCTION_NAME = "rustScorerFunctionName";
    public static final String FUNCTION_ARN = "rustScorerFunctionArn";
    public static final String PUBLISHED_VERSION = "rustScorerPublishedVersion";
    public static final String ALIAS_NAME = "rustScorerAliasName";
    public static final String ALIAS_ARN = "rustScorerAliasArn";
    public static final String CODE_SHA256 = "rustScorerCodeSha256";

    /** Reads the stack's outputs; NOT_FOUND if the function name is not among them. */
    public static DeployedFunction read(PulumiCli pulumi, String stack) {
        ExternalProcess.Result result = pulumi.runOrFail(line -> {}, "stack", "output", "--json", "--stack", stack,
                "--non-interactive");
        return parse(result.output(), stack);
    }

    static DeployedFunction parse(String output, String stack) {
        int start = output.indexOf('{');
        JsonNode outputs;
        try {
            outputs = start < 0 ? null : new ObjectMapper().readTree(output.substring(start));
        } catch (Exception e) {
            outputs = null;
        }
        if (outputs == null || !outputs.isObject()) {
            throw PipelineException.toolFailed("pulumi stack output --json for " + stack + " printed no JSON object: "
                    + PulumiCli.reason(output));
        }
        String name = text(outputs, FUNCTION_NAME);
        if (name == null) {
            throw PipelineException.notFound("stack " + stack + " has no output " + FUNCTION_NAME
                    + ": infra/aws/index.ts must export it (and " + ALIAS_NAME + ", " + CODE_SHA256 + ")");
        }
        return new DeployedFunction(name, text(outputs, FUNCTION_ARN), text(outputs, PUBLISHED_VERSION),
                text(outputs, ALIAS_NAME),
                text(outputs, ALIAS_ARN), text(outputs, CODE_SHA256));
    }

    /**
     * What verification should look at: the version this `up` published. Not the alias: after creation
     * the alias belongs to `rollout`, which moves it to a new version only when told to.
     */
    public String qualifier() {
        return publishedVersion == null || publishedVersion.isBlank() ? "$LATEST" : publishedVersion;
    }

    private static String text(JsonNode outputs, String key) {
        JsonNode v = outputs.get(key);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
