package scorerci.commands;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import scorerci.core.Actions;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.lambda.Check;
import scorerci.lambda.DeploymentVerifier;
import scorerci.lambda.FunctionVerification;
import scorerci.lambda.FunctionVerificationException;
import scorerci.lambda.VerificationReport;
import scorerci.pulumi.StackOutputs;
import scorerci.stack.DeployEnvironment;
import scorerci.stack.DeployedFunction;
import scorerci.zip.VerifiedZip;

/**
 * {@code verify-deploy ENVIRONMENT}: proves that the deployed rust scorer is the local zip.
 *
 * <p>Reads: the zip (--artifact, default rust-scorer-artifact/bootstrap.zip, checked like
 * verify-zip); the function from --function ($LATEST is checked) or the stack outputs ({@code
 * pulumi stack output --json} in infra/aws: rustScorerFunctionName, and the version
 * rustScorerPublishedVersion if exported, else $LATEST); AWS credentials and endpoint from the
 * environment (AWS_ACCESS_KEY_ID/…, AWS_PROFILE, AWS_ENDPOINT_URL[_LAMBDA]) or --endpoint-url.
 * Calls GetFunctionConfiguration (waiting for Active/Successful up to --max-wait) and one Invoke.
 *
 * <p>Writes: the checks table to the step summary; step outputs {@code function-name} and {@code
 * code-sha256}. Prints: one line per check (stdout); progress and the log tail of a failed invoke
 * (stderr); with --format json one object on stdout (environment, function, qualifier, verified,
 * zip, codeSha256, checks), also when a check failed (then exit 4), and no check lines.
 *
 * <p>Exits: 0 verified; 2 bad environment/option; 3 no pulumi without --function, no credentials; 4
 * a check failed or the zip is invalid; 5 pulumi failed; 6 AWS error or unreachable; 8 no zip,
 * function or stack output not found.
 */
@Command(
        name = "verify-deploy",
        mixinStandardHelpOptions = true,
        description =
                "Check the deployed scorer function against the local zip, then invoke GET /health once.")
public class VerifyDeployCommand extends BaseCommand {
    @Mixin EnvironmentParameter environment;

    @Mixin LambdaTargetOptions target;

    @Mixin FormatOption output;

    /**
     * verify-deploy's result record: the verdict and every check. Text: one line per check and the
     * digest chain; the step summary: the checks table and the chain; step outputs only when
     * verified (a failed verification exits 4 after showing its checks).
     *
     * @param report the verifier's report and the zip, for the text and summary (not in the JSON)
     */
    record VerifyDeployReport(
            String environment,
            String functionName,
            String qualifier,
            boolean verified,
            String zip,
            String codeSha256,
            List<Check> checks,
            @JsonIgnore VerificationReport report,
            @JsonIgnore VerifiedZip verifiedZip)
            implements Report {
        static VerifyDeployReport of(
                DeployEnvironment environment, VerificationReport report, VerifiedZip zip) {
            return new VerifyDeployReport(
                    environment.id(),
                    report.functionName(),
                    report.qualifier(),
                    report.ok(),
                    zip.path().toString(),
                    zip.codeSha256(),
                    report.checks(),
                    report,
                    zip);
        }

        @Override
        public void printText(Log log) {
            FunctionVerification.printed(log, report, verifiedZip);
        }

        @Override
        public void writeActions(Actions actions) {
            FunctionVerification.summarized(actions, report, verifiedZip);
            if (!verified) return;
            actions.output("function-name", functionName);
            actions.output("code-sha256", codeSha256);
        }
    }

    @Override
    protected int execute() {
        DeployEnvironment env =
                environment.parse(); // checked before anything else, even with --function
        if (target.maxWaitSeconds < 0)
            throw PipelineException.usage("--max-wait must be 0 or more seconds");
        VerifiedZip zip = target.zip(context());
        String functionName = target.function;
        String qualifier = "$LATEST";
        if (functionName == null) {
            // the version this stack's last `up` published, as deploy checks it; $LATEST if not
            // exported
            DeployedFunction deployed = StackOutputs.read(context(), log(), env);
            functionName = deployed.functionName();
            qualifier = deployed.qualifier();
        }
        VerificationReport report =
                new FunctionVerification(context(), log())
                        .run(
                                new FunctionVerification.Request(
                                        functionName,
                                        qualifier,
                                        zip,
                                        target.region,
                                        target.endpoint,
                                        !target.noInvoke,
                                        Duration.ofSeconds(target.maxWaitSeconds),
                                        DeploymentVerifier.DEFAULT_POLL));
        report(VerifyDeployReport.of(env, report, zip));
        if (!report.ok()) throw new FunctionVerificationException(report);
        return ExitCode.OK.code;
    }
}
