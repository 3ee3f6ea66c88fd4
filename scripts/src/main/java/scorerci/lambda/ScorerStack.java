package scorerci.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import scorerci.cli.Context;
import scorerci.cli.ExitCode;
import scorerci.cli.Log;
import scorerci.cli.PipelineException;
import scorerci.process.ExternalProcess;
import scorerci.pulumi.DeployEnvironment;
import scorerci.pulumi.DeployedFunction;
import scorerci.pulumi.PulumiCli;

/**
 * Which deployed function belongs to an environment, for the commands that take
 * {@code --function} as an alternative: the stack {@code passportxyz/passport-scorer/<env>}
 * (program in {@code infra/aws}) exports it, read with deploy's own {@link DeployedFunction}.
 * Without pulumi on PATH the user must name the function.
 */
public final class ScorerStack {
    public static final String DEFAULT_FUNCTION = "passport-v2-rust-scorer";
    public static final String DEFAULT_ALIAS = "live";

    private ScorerStack() {}

    /** The stack name for an environment; anything but review|staging|production is a USAGE error. */
    public static String stackName(String environment) {
        return DeployEnvironment.parse(environment).defaultStack();
    }

    public static DeployedFunction read(Context context, Log log, String environment) {
        String stack = stackName(environment);
        Path pulumi = ExternalProcess.locate("pulumi", context.env());
        if (pulumi == null) {
            throw PipelineException.prerequisite("pulumi is not on PATH, so the function cannot be read from stack "
                    + stack + "; install the Pulumi CLI or pass --function " + DEFAULT_FUNCTION);
        }
        Path program = context.resolve("infra/aws");
        if (!Files.isDirectory(program)) {
            throw PipelineException.prerequisite("no Pulumi program at " + program
                    + "; run from the repository root or pass --function " + DEFAULT_FUNCTION);
        }
        log.progress("reading the outputs of stack " + stack);
        try {
            return DeployedFunction.read(new PulumiCli(pulumi, program, context.env(), log, Duration.ofMinutes(2)), stack);
        } catch (PipelineException e) {
            if (e.exitCode() != ExitCode.TOOL_FAILED && e.exitCode() != ExitCode.NOT_FOUND) throw e;
            throw new PipelineException(e.exitCode(), e.getMessage() + "; or pass --function " + DEFAULT_FUNCTION, e);
        }
    }

    /** The alias the ALB targets: the option, else the stack's, else "live". */
    public static String aliasOf(DeployedFunction function, String aliasOption) {
        if (aliasOption != null) return aliasOption;
        return function == null || function.aliasName() == null ? DEFAULT_ALIAS : function.aliasName();
    }
}
