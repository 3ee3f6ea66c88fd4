package scorerci.lambda;

import java.util.Map;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.zip.VerifiedZip;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Moves the scorer's traffic between published versions with the alias's weighted routing: the ALB
 * targets alias {@code live}; {@code FunctionVersion} is the stable version and {@code
 * RoutingConfig.AdditionalVersionWeights} sends a share to one new version.
 *
 * <p>Why alias routing and not the ALB's weighted rule: the alias is the one place the infra points
 * traffic at, a step is one UpdateAlias (no Pulumi run, no stack config change, seconds instead of
 * minutes), it can be undone just as fast, and the Pulumi alias resource ignores {@code
 * functionVersion} and {@code routingConfig}, so the next {@code pulumi up} neither sees drift nor
 * resets the weights. The ALB rule stays what the stack says (Python vs Rust split by
 * header/percentage), which is a product decision, not a deploy step.
 *
 * <p>What was stable before a promote is kept in a second alias, {@code <alias>-previous} (default
 * {@code live-previous}), which Pulumi does not manage at all: an alias is visible in the console
 * and in {@code list-aliases}, cannot be garbled like free text in a description (which Pulumi does
 * manage), and pins the version against deletion. A rollback after a promote moves {@code live}
 * back to it and deletes it, so a second rollback has nothing left to undo.
 */
public final class Rollout {
    private final LambdaClient lambda;
    private final Log log;
    private final String functionName;
    private final String aliasName;
    private boolean dryRun;

    public Rollout(LambdaClient lambda, Log log, String functionName, String aliasName) {
        this.lambda = lambda;
        this.log = log;
        this.functionName = functionName;
        this.aliasName = aliasName;
    }

    /**
     * --dry-run: every read and the verification run, but no write: the routing a step would set is
     * computed instead of applied, no version is published (the new version is shown as $LATEST),
     * {@code <alias>-previous} is neither written nor deleted, and each step says so.
     */
    public Rollout dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /** A step as --dry-run reports it: what would be done, nothing changed. */
    private Step step(String action, AliasRouting before, AliasRouting after, boolean changed) {
        if (!dryRun || !changed) return new Step(action, before, after, changed);
        return new Step("dry run, nothing changed: would have " + action, before, after, false);
    }

    /** One rollout action: where traffic went before and after, and what was done. */
    public record Step(String action, AliasRouting before, AliasRouting after, boolean changed) {}

    public String previousAliasName() {
        return aliasName + "-previous";
    }

    public AliasRouting current() {
        try {
            return AliasRouting.of(
                    lambda.getAlias(b -> b.functionName(functionName).name(aliasName)));
        } catch (ResourceNotFoundException e) {
            throw PipelineException.notFound(
                    "alias "
                            + aliasName
                            + " of function "
                            + functionName
                            + " does not exist; the stack creates it on pulumi up (run jbang deploy@. <env> first)");
        } catch (RuntimeException e) {
            throw LambdaCalls.translate("GetAlias " + functionName + ":" + aliasName, e);
        }
    }

    /**
     * The version to move traffic to and the verification that proved it, before anything changes:
     * an explicit version, else (when {@code preferCanary}) the one already receiving a share, else
     * $LATEST published as a version if its code differs from the stable version's. {@code version}
     * is null when $LATEST holds the stable version's code: nothing new to roll out.
     */
    public record Candidate(String version, VerificationReport report) {}

    public Candidate candidate(
            String explicitVersion,
            boolean preferCanary,
            AliasRouting before,
            VerifiedZip zip,
            DeploymentVerifier verifier) {
        if (explicitVersion != null) {
            return new Candidate(
                    explicitVersion, verifier.verify(functionName, explicitVersion, zip));
        }
        if (preferCanary && before.canaryVersion() != null) {
            return new Candidate(
                    before.canaryVersion(),
                    verifier.verify(functionName, before.canaryVersion(), zip));
        }
        VerificationReport report = verifier.verify(functionName, "$LATEST", zip);
        if (zip.codeSha256().equals(codeSha256Of(before.stableVersion())))
            return new Candidate(null, report);
        return new Candidate(publish(zip), report);
    }

    /**
     * The step when the candidate has no version ($LATEST holds the stable code): nothing changes.
     */
    public Step nothingNew(AliasRouting before) {
        return new Step(
                "nothing to roll out: $LATEST holds the code of version "
                        + before.stableVersion()
                        + ", which "
                        + aliasName
                        + " already serves (deploy new code first, or pass --version)",
                before,
                before,
                false);
    }

    /**
     * Sends {@code percent} % of the alias's traffic to {@code version}, the rest to the stable
     * one.
     */
    public Step shift(int percent, String version) {
        if (percent < 1 || percent > 99) {
            throw PipelineException.usage(
                    "--percent must be 1..99 (got "
                            + percent
                            + "); use --promote for 100 and --rollback for 0");
        }
        AliasRouting before = current();
        if (version.equals(before.stableVersion())) {
            return new Step(
                    "version "
                            + version
                            + " is already the stable version of "
                            + aliasName
                            + "; nothing to shift",
                    before,
                    before,
                    false);
        }
        AliasRouting after =
                update(before, before.stableVersion(), Map.of(version, percent / 100.0));
        return step(
                "sent " + percent + " % of " + aliasName + " to version " + version,
                before,
                after,
                true);
    }

    /** Sends all traffic to {@code version}; remembers the old stable version for --rollback. */
    public Step promote(String version) {
        AliasRouting before = current();
        if (version.equals(before.stableVersion()) && !before.split()) {
            return new Step(
                    "version "
                            + version
                            + " already receives all of "
                            + aliasName
                            + "; nothing to promote",
                    before,
                    before,
                    false);
        }
        if (!version.equals(before.stableVersion())) rememberPrevious(before.stableVersion());
        AliasRouting after = update(before, version, Map.of());
        return step(
                "promoted version "
                        + version
                        + " to all of "
                        + aliasName
                        + " (version "
                        + before.stableVersion()
                        + " kept as "
                        + previousAliasName()
                        + ")",
                before,
                after,
                true);
    }

    /** Ends a split (all back to stable), or after a promote goes back to the version before it. */
    public Step rollback() {
        AliasRouting before = current();
        if (before.split()) {
            AliasRouting after = update(before, before.stableVersion(), Map.of());
            return step(
                    "stopped sending traffic to version "
                            + before.canaryVersion()
                            + "; all of "
                            + aliasName
                            + " back on version "
                            + before.stableVersion(),
                    before,
                    after,
                    true);
        }
        String previous = previousVersion();
        if (previous == null || previous.equals(before.stableVersion())) {
            return new Step(
                    "nothing to roll back: "
                            + aliasName
                            + " sends everything to version "
                            + before.stableVersion()
                            + " and no earlier version is recorded in "
                            + previousAliasName(),
                    before,
                    before,
                    false);
        }
        AliasRouting after = update(before, previous, Map.of());
        if (!dryRun) {
            LambdaCalls.run(
                    "DeleteAlias " + previousAliasName(),
                    () ->
                            lambda.deleteAlias(
                                    b -> b.functionName(functionName).name(previousAliasName())));
        }
        return step(
                "rolled "
                        + aliasName
                        + " back from version "
                        + before.stableVersion()
                        + " to version "
                        + previous,
                before,
                after,
                true);
    }

    /** The version recorded by the last promote, or null. */
    public String previousVersion() {
        try {
            GetAliasResponse previous =
                    lambda.getAlias(b -> b.functionName(functionName).name(previousAliasName()));
            return previous.functionVersion();
        } catch (ResourceNotFoundException e) {
            return null;
        } catch (RuntimeException e) {
            throw LambdaCalls.translate("GetAlias " + previousAliasName(), e);
        }
    }

    String codeSha256Of(String version) {
        return LambdaCalls.call(
                        "GetFunctionConfiguration " + functionName + ":" + version,
                        () ->
                                lambda.getFunctionConfiguration(
                                        b -> b.functionName(functionName).qualifier(version)))
                .codeSha256();
    }

    /**
     * Publishes $LATEST, locked to the verified zip's hash (Lambda refuses if $LATEST changed since
     * the check). If nothing changed since the last publish (Pulumi publishes on every change),
     * Lambda returns that version instead of a new one.
     */
    private String publish(VerifiedZip zip) {
        if (dryRun) {
            log.progress("dry run: $LATEST would be published as a new version (not published)");
            return "$LATEST";
        }
        PublishVersionResponse published =
                LambdaCalls.call(
                        "PublishVersion " + functionName,
                        () ->
                                lambda.publishVersion(
                                        b ->
                                                b.functionName(functionName)
                                                        .codeSha256(zip.codeSha256())
                                                        .description(
                                                                "rollout of "
                                                                        + zip.sha256Hex()
                                                                                .substring(
                                                                                        0, 12))));
        if (!zip.codeSha256().equals(published.codeSha256())) {
            throw PipelineException.conflict(
                    "PublishVersion "
                            + functionName
                            + " returned version "
                            + published.version()
                            + " with CodeSha256 "
                            + published.codeSha256()
                            + ", not the verified "
                            + zip.codeSha256()
                            + "; someone deployed meanwhile: run deploy and rollout again");
        }
        log.progress(
                "version " + published.version() + " holds CodeSha256 " + published.codeSha256());
        return published.version();
    }

    private void rememberPrevious(String version) {
        if (dryRun) return;
        String description =
                "version "
                        + aliasName
                        + " served before the last promote; kept by rollout for --rollback";
        if (previousVersion() == null) {
            LambdaCalls.run(
                    "CreateAlias " + previousAliasName(),
                    () ->
                            lambda.createAlias(
                                    b ->
                                            b.functionName(functionName)
                                                    .name(previousAliasName())
                                                    .functionVersion(version)
                                                    .description(description)));
        } else {
            LambdaCalls.run(
                    "UpdateAlias " + previousAliasName(),
                    () ->
                            lambda.updateAlias(
                                    b ->
                                            b.functionName(functionName)
                                                    .name(previousAliasName())
                                                    .functionVersion(version)
                                                    .description(description)
                                                    .routingConfig(
                                                            AliasRoutingConfiguration.builder()
                                                                    .additionalVersionWeights(
                                                                            Map.of())
                                                                    .build())));
        }
    }

    private AliasRouting update(
            AliasRouting before, String stableVersion, Map<String, Double> weights) {
        if (dryRun) return new AliasRouting(aliasName, stableVersion, weights, before.revisionId());
        return AliasRouting.of(
                LambdaCalls.call(
                        "UpdateAlias " + functionName + ":" + aliasName,
                        () ->
                                lambda.updateAlias(
                                        b ->
                                                b.functionName(functionName)
                                                        .name(aliasName)
                                                        .functionVersion(stableVersion)
                                                        .routingConfig(
                                                                AliasRoutingConfiguration.builder()
                                                                        .additionalVersionWeights(
                                                                                weights)
                                                                        .build())
                                                        .revisionId(before.revisionId()))));
    }
}
