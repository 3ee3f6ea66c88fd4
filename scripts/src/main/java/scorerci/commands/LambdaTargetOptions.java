package scorerci.commands;

import picocli.CommandLine.Option;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.lambda.DeployedArtifact;
import scorerci.lambda.LambdaClients;
import scorerci.zip.VerifiedZip;

/**
 * Which deployed function to check against which zip, and how (picocli mixin shared by
 * verify-deploy and rollout): --function, --artifact, --region, --endpoint-url, --max-wait,
 * --no-invoke. The texts are worded to be true for both commands.
 */
public class LambdaTargetOptions {
    @Option(
            names = "--function",
            paramLabel = "NAME",
            description =
                    "Function name or ARN (default: the stack output rustScorerFunctionName).")
    String function;

    @Option(
            names = "--artifact",
            paramLabel = "PATH",
            defaultValue = DefaultPaths.DOWNLOADED_ZIP,
            description = "The zip the deployed code must match (default: ${DEFAULT-VALUE}).")
    String artifact;

    @Option(
            names = "--region",
            defaultValue = LambdaClients.DEFAULT_REGION,
            description = "AWS region of the function (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(
            names = "--endpoint-url",
            paramLabel = "URL",
            description =
                    "Lambda endpoint, e.g. a local emulator (default: AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL, AWS).")
    String endpoint;

    @Option(
            names = "--no-invoke",
            description = "Skip the smoke Invoke of the version being checked.")
    boolean noInvoke;

    @Option(
            names = "--max-wait",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description =
                    "How long to wait for State Active and LastUpdateStatus Successful (default: ${DEFAULT-VALUE}).")
    long maxWaitSeconds;

    /** The --artifact zip, which must exist and pass build-zip's verification. */
    VerifiedZip zip(Context context) {
        return DeployedArtifact.load(context, artifact);
    }
}
