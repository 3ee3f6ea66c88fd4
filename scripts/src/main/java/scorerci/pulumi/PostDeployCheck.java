package scorerci.pulumi;

import java.util.Map;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.stack.DeployedFunction;
import scorerci.zip.VerifiedZip;

/**
 * After `pulumi up`, proves what was deployed: first Pulumi's own record (the stack output
 * rustScorerCodeSha256 must be the zip's hash), then the function in AWS through the Lambda
 * verifier of scorerci.lambda.
 *
 * <p>The {@link LambdaCheck} is handed in by the caller (deploy passes scorerci.lambda's verifier;
 * tests pass a recorder), so this package needs nothing of scorerci.lambda. If none is given,
 * deploy refuses to claim a verified deployment: it fails with PREREQUISITE before changing
 * anything unless --skip-verify is given.
 */
public final class PostDeployCheck {
    /** Checks the deployed function in AWS against the zip. */
    @FunctionalInterface
    public interface LambdaCheck {
        /**
         * @return one line saying what was proven; throws PipelineException (VERIFICATION,
         *     REMOTE...) otherwise
         */
        String verify(
                DeployedFunction function,
                VerifiedZip zip,
                String region,
                Map<String, String> env,
                Log log);
    }

    private PostDeployCheck() {}

    public static PipelineException unavailable() {
        return PipelineException.prerequisite(
                "deployment verification is unavailable: the Lambda verifier "
                        + "(scorerci.lambda) is not wired into deploy in this build; rerun with --skip-verify to deploy without "
                        + "proving the function serves the zip");
    }

    /** Pulumi's record, then AWS's. Returns the lines to report. */
    public static String verify(
            DeployedFunction function,
            VerifiedZip zip,
            String region,
            Map<String, String> env,
            Log log,
            LambdaCheck lambdaCheck) {
        if (function.codeSha256() != null
                && !function.codeSha256().equals(zip.codeSha256())
                && !function.codeSha256().equalsIgnoreCase(zip.sha256Hex())) {
            throw PipelineException.verification(
                    "stack output "
                            + DeployedFunction.CODE_SHA256
                            + " is "
                            + function.codeSha256()
                            + " but "
                            + zip.path().getFileName()
                            + " has CodeSha256 "
                            + zip.codeSha256()
                            + ": Pulumi deployed another zip; check RUST_SCORER_ZIP / rust-scorer-artifact and deploy again");
        }
        if (lambdaCheck == null) throw unavailable();
        return lambdaCheck.verify(function, zip, region, env, log);
    }
}
