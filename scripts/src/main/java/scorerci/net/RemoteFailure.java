package scorerci.net;

import scorerci.core.ExitCode;
import scorerci.core.PipelineException;

/**
 * A remote call that failed for good: a non-retryable status, or retries exhausted. Carries the
 * HTTP status (0 for network failures) so callers can react to, say, 409 on CreateArtifact.
 */
public final class RemoteFailure extends PipelineException {
    private final int status;

    public RemoteFailure(ExitCode code, int status, String message) {
        super(code, message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
