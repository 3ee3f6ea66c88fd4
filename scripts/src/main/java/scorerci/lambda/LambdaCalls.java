package scorerci.lambda;

import java.util.function.Supplier;
import scorerci.core.PipelineException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Turns the SDK's exceptions into the one taxonomy: a missing function or alias is NOT_FOUND, a
 * lost optimistic lock is CONFLICT, missing credentials are PREREQUISITE, an unreachable endpoint
 * or a service error is REMOTE. Each message names the call and how to fix it.
 */
final class LambdaCalls {
    private LambdaCalls() {}

    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    /**
     * The PipelineException for an SDK failure; anything else is returned as it is (a bug:
     * INTERNAL).
     */
    static RuntimeException translate(String what, RuntimeException e) {
        if (e instanceof ResourceNotFoundException nf) {
            return PipelineException.notFound(
                    what
                            + ": not found ("
                            + awsMessage(nf)
                            + "); check the function name (--function or the stack output) and --region");
        }
        if (e instanceof PreconditionFailedException pf) {
            return PipelineException.conflict(
                    what
                            + ": it changed while this command ran ("
                            + awsMessage(pf)
                            + "); run the command again");
        }
        if (e instanceof SdkServiceException se) {
            return PipelineException.remote(
                    what + ": AWS answered HTTP " + se.statusCode() + " (" + awsMessage(se) + ")",
                    se);
        }
        if (e instanceof SdkClientException ce) return clientFailure(what, ce);
        return e;
    }

    static void run(String what, Runnable call) {
        call(
                what,
                () -> {
                    call.run();
                    return null;
                });
    }

    static PipelineException clientFailure(String what, SdkClientException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Unable to load credentials")
                || message.contains("Unable to load region")) {
            return PipelineException.prerequisite(
                    what
                            + ": no AWS credentials found; set AWS_ACCESS_KEY_ID and "
                            + "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or configure OIDC in the workflow)");
        }
        return PipelineException.remote(
                what
                        + ": cannot reach Lambda ("
                        + firstLine(message)
                        + "); check the network, --region and --endpoint-url / AWS_ENDPOINT_URL",
                e);
    }

    private static String awsMessage(SdkServiceException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
                && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorMessage() != null) {
            String code = aws.awsErrorDetails().errorCode();
            return (code == null ? "" : code + ": ") + aws.awsErrorDetails().errorMessage();
        }
        return firstLine(String.valueOf(e.getMessage()));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
