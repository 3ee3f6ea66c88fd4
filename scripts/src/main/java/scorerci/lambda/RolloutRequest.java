package scorerci.lambda;

import java.time.Duration;
import scorerci.core.PipelineException;
import scorerci.stack.DeployEnvironment;

/**
 * What one {@code rollout} run was asked to do, checked for well-formedness (USAGE errors) before
 * anything is looked up. Exactly one of percent, promote and rollback is given (the command's
 * exclusive option group guarantees it).
 *
 * @param environment parsed once by the command; its stack is read only without a function
 * @param percent the share for the new version, 1-99, or null
 * @param version the published version to roll out, or null for $LATEST (published if new)
 * @param alias the alias the ALB targets, or null for the stack's (else live)
 * @param function function name or ARN, or null to read it from the stack outputs
 * @param artifact the zip as given, resolved against the working directory; unused by rollback
 * @param endpoint null: --endpoint-url not given (AWS_ENDPOINT_URL[_LAMBDA] still apply)
 * @param invoke whether the version being rolled out gets the smoke invoke
 * @param maxWait how long its verification waits for State Active / LastUpdateStatus Successful
 * @param dryRun verify and compute the routing, but update no alias and publish no version
 */
public record RolloutRequest(
        DeployEnvironment environment,
        Integer percent,
        boolean promote,
        boolean rollback,
        String version,
        String alias,
        String function,
        String artifact,
        String region,
        String endpoint,
        boolean invoke,
        Duration maxWait,
        boolean dryRun) {

    public RolloutRequest {
        if (percent != null && (percent < 1 || percent > 99)) {
            throw PipelineException.usage(
                    "--percent must be 1..99 (got "
                            + percent
                            + "); use --promote for 100 and --rollback for 0");
        }
        if (version != null && rollback)
            throw PipelineException.usage(
                    "--version goes with --percent or --promote, not --rollback");
        if (version != null && !version.matches("[1-9][0-9]{0,9}")) {
            throw PipelineException.usage(
                    "--version must be a published version number such as 7 (got '"
                            + version
                            + "')");
        }
    }
}
