package scorerci.stack;

/**
 * Which deployed function belongs to an environment, for the commands that take {@code --function}
 * as an alternative: the stack {@code passportxyz/passport-scorer/<env>} (program in {@code
 * infra/aws}) exports it as {@link DeployedFunction}; {@code scorerci.pulumi.StackOutputs} reads
 * it. Without pulumi on PATH the user must name the function.
 */
public final class ScorerStack {
    public static final String DEFAULT_FUNCTION = "passport-v2-rust-scorer";
    public static final String DEFAULT_ALIAS = "live";

    private ScorerStack() {}

    /** The alias the ALB targets: the option, else the stack's, else "live". */
    public static String aliasOf(DeployedFunction function, String aliasOption) {
        if (aliasOption != null) return aliasOption;
        return function == null || function.aliasName() == null
                ? DEFAULT_ALIAS
                : function.aliasName();
    }
}
