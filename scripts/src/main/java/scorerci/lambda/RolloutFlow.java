package scorerci.lambda;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import scorerci.core.Actions;
import scorerci.core.Context;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.core.Stage;
import scorerci.pulumi.StackOutputs;
import scorerci.stack.DeployedFunction;
import scorerci.stack.ScorerStack;
import scorerci.zip.VerifiedZip;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The whole of {@code rollout}: the zip (not for --rollback, which must work while the new version
 * is broken), the function and alias (the options, else the stack's outputs), the alias's routing
 * before, then for --percent/--promote the candidate version proven against the zip, and one {@link
 * Rollout} step. Nothing changes unless the candidate passed its verification.
 *
 * <p>The routing before goes to {@code results} (the command's stdout, printed even with --quiet)
 * before the verification runs, and the verification's checks reach the log and the job summary
 * even when they refuse the rollout; the flow itself never prints.
 */
public final class RolloutFlow implements Stage<RolloutRequest, RolloutFlow.Outcome> {
    /** What was done to which function: the command reports it. */
    public record Outcome(String functionName, Rollout.Step step) {
        public static final List<String> SUMMARY_HEADER = List.of("Version", "Before", "After");

        public String summaryTitle() {
            return "Rollout of " + functionName + ":" + step.after().alias() + ": " + step.action();
        }

        /** Every version with a share before or after: version, before %, after %. */
        public List<List<String>> summaryRows() {
            Map<String, BigDecimal> before = step.before().percentages();
            Map<String, BigDecimal> after = step.after().percentages();
            Set<String> versions = new LinkedHashSet<>(before.keySet());
            versions.addAll(after.keySet());
            List<List<String>> rows = new ArrayList<>();
            for (String v : versions) {
                rows.add(List.of(v, percent(before.get(v)), percent(after.get(v))));
            }
            return rows;
        }

        /** The step outputs: stable-version, canary-version and canary-percent. */
        public Map<String, String> outputs() {
            AliasRouting after = step.after();
            Map<String, String> outputs = new LinkedHashMap<>();
            outputs.put("stable-version", after.stableVersion());
            outputs.put(
                    "canary-version", after.canaryVersion() == null ? "" : after.canaryVersion());
            outputs.put(
                    "canary-percent",
                    after.canaryVersion() == null
                            ? "0"
                            : after.percentages().get(after.canaryVersion()).toPlainString());
            return outputs;
        }

        private static String percent(BigDecimal value) {
            return value == null ? "0 %" : value.toPlainString() + " %";
        }
    }

    private final Context context;
    private final Log log;
    private final Actions actions;
    private final Consumer<String> results;

    /**
     * @param results result lines: the command prints them on stdout even with --quiet
     */
    public RolloutFlow(Context context, Log log, Actions actions, Consumer<String> results) {
        this.context = context;
        this.log = log;
        this.actions = actions;
        this.results = results;
    }

    @Override
    public Outcome run(RolloutRequest request) {
        VerifiedZip zip =
                request.rollback() ? null : DeployedArtifact.load(context, request.artifact());
        DeployedFunction deployed =
                request.function() == null
                        ? StackOutputs.read(context, log, request.environment())
                        : null;
        String functionName =
                request.function() != null ? request.function() : deployed.functionName();
        String aliasName = ScorerStack.aliasOf(deployed, request.alias());

        LambdaClients.Settings settings =
                LambdaClients.resolve(context.env(), request.region(), request.endpoint());
        try (LambdaClient lambda = LambdaClients.create(settings)) {
            Rollout rollout =
                    new Rollout(lambda, log, functionName, aliasName).dryRun(request.dryRun());
            AliasRouting before = rollout.current();
            results.accept("before: " + before.describe());
            Rollout.Step step =
                    request.rollback()
                            ? rollout.rollback()
                            : rollForward(request, lambda, rollout, before, zip);
            return new Outcome(functionName, step);
        }
    }

    /** Proves the candidate version serves the zip, then shifts or promotes to it. */
    private Rollout.Step rollForward(
            RolloutRequest request,
            LambdaClient lambda,
            Rollout rollout,
            AliasRouting before,
            VerifiedZip zip) {
        DeploymentVerifier verifier =
                new DeploymentVerifier(lambda, log)
                        .waitAtMost(request.maxWait(), DeploymentVerifier.DEFAULT_POLL)
                        .invoke(request.invoke());
        Rollout.Candidate candidate;
        try {
            candidate =
                    rollout.candidate(request.version(), request.promote(), before, zip, verifier);
        } catch (FunctionVerificationException e) {
            FunctionVerification.report(actions, log, e.report());
            throw new PipelineException(
                    ExitCode.VERIFICATION, "rollout refused, nothing changed: " + e.getMessage());
        }
        FunctionVerification.report(actions, log, candidate.report());
        if (candidate.version() == null) return rollout.nothingNew(before);
        if (request.promote()) return rollout.promote(candidate.version());
        return rollout.shift(request.percent(), candidate.version());
    }
}
