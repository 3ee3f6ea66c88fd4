package scorerci.lambda;

import java.util.stream.Collectors;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;

/**
 * A VERIFICATION failure that keeps its report, so that callers (verify-deploy, deploy, rollout)
 * can still write every check to the step summary. The message is one line naming each mismatch
 * with its expected and actual values and a hint.
 */
public final class FunctionVerificationException extends PipelineException {
    private final VerificationReport report;

    public FunctionVerificationException(VerificationReport report) {
        super(
                ExitCode.VERIFICATION,
                "deployed function "
                        + report.target()
                        + " is not what was meant to be deployed: "
                        + report.failures().stream()
                                .map(Check::mismatch)
                                .collect(Collectors.joining("; ")));
        this.report = report;
    }

    public VerificationReport report() {
        return report;
    }
}
