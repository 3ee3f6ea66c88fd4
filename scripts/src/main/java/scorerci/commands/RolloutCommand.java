package scorerci.commands;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.lambda.LambdaClient;
import scorerci.cli.BaseCommand;
import scorerci.cli.ExitCode;
import scorerci.cli.PipelineException;
import scorerci.lambda.AliasRouting;
import scorerci.lambda.DeploymentVerification;
import scorerci.lambda.DeploymentVerificationException;
import scorerci.lambda.DeploymentVerifier;
import scorerci.lambda.LambdaClients;
import scorerci.lambda.Rollout;
import scorerci.lambda.ScorerStack;
import scorerci.pulumi.DeployedFunction;
import scorerci.zip.VerifiedZip;

/**
 * {@code rollout ENVIRONMENT (--percent N | --promote | --rollback)}: moves the scorer's traffic
 * between published versions with the weighted routing of alias {@code live} (see
 * {@link Rollout} for why the alias and not the ALB rule, and how it stays out of Pulumi's way).
 *
 * <p>--percent N: N % (1–99) to the new version, the rest to the stable one. --promote: all to the
 * new version (the one with a share, else --version, else $LATEST); the old stable version is kept
 * in alias {@code live-previous}. --rollback: ends a split, or after a promote returns to
 * {@code live-previous}. The new version is $LATEST published (if its code differs from the stable
 * version's) unless --version names one.
 *
 * <p>Reads: the zip (--artifact) for --percent/--promote, which must pass verify-deploy's checks
 * (incl. the smoke invoke unless --no-invoke) on the version being rolled out, else nothing changes;
 * the function from --function or the stack outputs; AWS credentials/endpoint as verify-deploy.
 * --rollback needs no zip and runs no verification: it must work while the new version is broken.
 *
 * <p>Writes: alias {@code live} (FunctionVersion, RoutingConfig), alias {@code live-previous}, maybe a
 * new published version; the before/after table to the step summary; step outputs
 * {@code stable-version}, {@code canary-version}, {@code canary-percent}. Prints: before and after
 * weights and what was done (stdout).
 *
 * <p>Exits: 0 done or nothing to do; 2 bad option; 3 no zip / pulumi / credentials; 4 verification
 * failed (nothing changed); 6 AWS error; 7 the alias changed meanwhile; 8 function or alias missing.
 */
// no mixinStandardHelpOptions: its -V/--version would take the name --version, which here means a Lambda version
@Command(name = "rollout",
        description = "Shift, promote or roll back the scorer's traffic between Lambda versions (alias weights).")
public class RolloutCommand extends BaseCommand {
    @Mixin
    EnvironmentParameter environment;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static class Action {
        @Option(names = "--percent", paramLabel = "N", description = "Send N %% (1-99) to the new version.")
        Integer percent;

        @Option(names = "--promote", description = "Send all traffic to the new version.")
        boolean promote;

        @Option(names = "--rollback", description = "Back to the stable (or, after a promote, the previous) version.")
        boolean rollback;
    }

    @Option(names = "--version", paramLabel = "V", description = "Published version to roll out (default: $LATEST, published if new).")
    String version;

    @Option(names = "--alias", paramLabel = "NAME",
            description = "Alias the ALB targets (default: the stack output rustScorerAliasName, else live).")
    String alias;

    @Mixin
    LambdaTargetOptions target;

    @Override
    protected int execute() {
        environment.parse();
        if (action.percent != null && (action.percent < 1 || action.percent > 99)) {
            throw PipelineException.usage("--percent must be 1..99 (got " + action.percent
                    + "); use --promote for 100 and --rollback for 0");
        }
        if (version != null && action.rollback) throw PipelineException.usage("--version goes with --percent or --promote, not --rollback");
        if (version != null && !version.matches("[1-9][0-9]{0,9}")) {
            throw PipelineException.usage("--version must be a published version number such as 7 (got '" + version + "')");
        }
        VerifiedZip zip = action.rollback ? null : target.zip(context());

        DeployedFunction deployed = target.function == null ? ScorerStack.read(context(), log(), environment.text()) : null;
        String functionName = target.function != null ? target.function : deployed.functionName();
        String aliasName = ScorerStack.aliasOf(deployed, alias);

        LambdaClients.Settings settings = LambdaClients.resolve(context().env(), target.region, target.endpoint);
        try (LambdaClient lambda = LambdaClients.create(settings)) {
            Rollout rollout = new Rollout(lambda, log(), functionName, aliasName);
            AliasRouting before = rollout.current();
            result("before: " + before.describe());

            Rollout.Step step;
            if (action.rollback) {
                step = rollout.rollback();
            } else {
                // a negative --max-wait means "do not wait" here (verify-deploy refuses it)
                DeploymentVerifier verifier = new DeploymentVerifier(lambda, log())
                        .waitAtMost(Duration.ofSeconds(Math.max(0, target.maxWaitSeconds)), DeploymentVerifier.DEFAULT_POLL)
                        .invoke(!target.noInvoke);
                Rollout.Candidate candidate;
                try {
                    candidate = rollout.candidate(version, action.promote, before, zip, verifier);
                } catch (DeploymentVerificationException e) {
                    DeploymentVerification.report(actions(), log(), e.report());
                    throw new PipelineException(ExitCode.VERIFICATION, "rollout refused, nothing changed: " + e.getMessage());
                }
                DeploymentVerification.report(actions(), log(), candidate.report());
                if (candidate.version() == null) {
                    step = rollout.nothingNew(before);
                } else if (action.promote) {
                    step = rollout.promote(candidate.version());
                } else {
                    step = rollout.shift(action.percent, candidate.version());
                }
            }
            result("after:  " + step.after().describe());
            result(step.action());
            writeSummary(functionName, step);
            AliasRouting after = step.after();
            actions().output("stable-version", after.stableVersion());
            actions().output("canary-version", after.canaryVersion() == null ? "" : after.canaryVersion());
            actions().output("canary-percent", after.canaryVersion() == null ? "0"
                    : after.percentages().get(after.canaryVersion()).toPlainString());
        }
        return ExitCode.OK.code;
    }

    private void writeSummary(String functionName, Rollout.Step step) {
        Map<String, BigDecimal> before = step.before().percentages();
        Map<String, BigDecimal> after = step.after().percentages();
        Set<String> versions = new LinkedHashSet<>(before.keySet());
        versions.addAll(after.keySet());
        List<List<String>> rows = new ArrayList<>();
        for (String v : versions) {
            rows.add(List.of(v, percent(before.get(v)), percent(after.get(v))));
        }
        actions().summaryTable("Rollout of " + functionName + ":" + step.after().alias() + ": " + step.action(),
                List.of("Version", "Before", "After"), rows);
    }

    private static String percent(BigDecimal value) {
        return value == null ? "0 %" : value.toPlainString() + " %";
    }
}
