package scorerci.pulumi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import scorerci.core.Context;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;
import scorerci.stack.DeployEnvironment;
import scorerci.stack.DeployedFunction;
import scorerci.stack.ScorerStack;

/**
 * Reads a stack's outputs ({@code pulumi stack output --json}) into {@link DeployedFunction}: for
 * deploy after {@code up}, and for the commands that find the function by environment
 * (verify-deploy, rollout).
 */
public final class StackOutputs {
    private StackOutputs() {}

    public static DeployedFunction read(Context context, Log log, DeployEnvironment environment) {
        String stack = environment.defaultStack();
        Path pulumi = ExternalProcess.locate("pulumi", context.env());
        if (pulumi == null) {
            throw PipelineException.prerequisite(
                    "pulumi is not on PATH, so the function cannot be read from stack "
                            + stack
                            + "; install the Pulumi CLI or pass --function "
                            + ScorerStack.DEFAULT_FUNCTION);
        }
        Path program = context.resolve("infra/aws");
        if (!Files.isDirectory(program)) {
            throw PipelineException.prerequisite(
                    "no Pulumi program at "
                            + program
                            + "; run from the repository root or pass --function "
                            + ScorerStack.DEFAULT_FUNCTION);
        }
        log.progress("reading the outputs of stack " + stack);
        try {
            return read(
                    new PulumiCli(pulumi, program, context.env(), log, Duration.ofMinutes(2)),
                    stack);
        } catch (PipelineException e) {
            if (e.exitCode() != ExitCode.TOOL_FAILED && e.exitCode() != ExitCode.NOT_FOUND) throw e;
            throw new PipelineException(
                    e.exitCode(),
                    e.getMessage() + "; or pass --function " + ScorerStack.DEFAULT_FUNCTION,
                    e);
        }
    }

    /** Reads the stack's outputs; NOT_FOUND if the function name is not among them. */
    public static DeployedFunction read(PulumiCli pulumi, String stack) {
        ExternalProcess.Result result =
                pulumi.runOrFail(
                        line -> {},
                        "stack",
                        "output",
                        "--json",
                        "--stack",
                        stack,
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
            throw PipelineException.toolFailed(
                    "pulumi stack output --json for "
                            + stack
                            + " printed no JSON object: "
                            + PulumiCli.reason(output));
        }
        String name = text(outputs, DeployedFunction.FUNCTION_NAME);
        if (name == null) {
            throw PipelineException.notFound(
                    "stack "
                            + stack
                            + " has no output "
                            + DeployedFunction.FUNCTION_NAME
                            + ": infra/aws/index.ts must export it (and "
                            + DeployedFunction.ALIAS_NAME
                            + ", "
                            + DeployedFunction.CODE_SHA256
                            + ")");
        }
        return new DeployedFunction(
                name,
                text(outputs, DeployedFunction.FUNCTION_ARN),
                text(outputs, DeployedFunction.PUBLISHED_VERSION),
                text(outputs, DeployedFunction.ALIAS_NAME),
                text(outputs, DeployedFunction.ALIAS_ARN),
                text(outputs, DeployedFunction.CODE_SHA256));
    }

    private static String text(JsonNode outputs, String key) {
        JsonNode v = outputs.get(key);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
