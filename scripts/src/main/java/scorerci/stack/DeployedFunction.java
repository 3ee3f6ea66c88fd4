package scorerci.stack;

/**
 * The rust scorer function as the stack reports it after `pulumi up`, from `pulumi stack output
 * --json` (outputs exported by infra/aws/index.ts).
 *
 * @param publishedVersion the version this `up` published (the alias is moved later by `rollout`),
 *     or null
 * @param codeSha256 what Pulumi deployed, as Lambda reports it (base64 SHA-256), or null if not
 *     exported
 */
public record DeployedFunction(
        String functionName,
        String functionArn,
        String publishedVersion,
        String aliasName,
        String aliasArn,
        String codeSha256) {
    public static final String FUNCTION_NAME = "rustScorerFunctionName";
    public static final String FUNCTION_ARN = "rustScorerFunctionArn";
    public static final String PUBLISHED_VERSION = "rustScorerPublishedVersion";
    public static final String ALIAS_NAME = "rustScorerAliasName";
    public static final String ALIAS_ARN = "rustScorerAliasArn";
    public static final String CODE_SHA256 = "rustScorerCodeSha256";

    /**
     * What verification should look at: the version this `up` published. Not the alias: after
     * creation the alias belongs to `rollout`, which moves it to a new version only when told to.
     */
    public String qualifier() {
        return publishedVersion == null || publishedVersion.isBlank()
                ? "$LATEST"
                : publishedVersion;
    }
}
