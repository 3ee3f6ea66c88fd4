package scorerci.commands;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.core.Actions;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.lambda.Rollout;
import scorerci.lambda.RolloutFlow;
import scorerci.lambda.RolloutRequest;

/**
 * {@code rollout ENVIRONMENT (--percent N | --promote | --rollback)}: moves the scorer's traffic
 * between published versions with the weighted routing of alias {@code live} (see {@link Rollout}
 * for why the alias and not the ALB rule, and how it stays out of Pulumi's way).
 *
 * <p>--percent N: N % (1–99) to the new version, the rest to the stable one. --promote: all to the
 * new version (the one with a share, else --version, else $LATEST); the old stable version is kept
 * in alias {@code live-previous}. --rollback: ends a split, or after a promote returns to {@code
 * live-previous}. The new version is $LATEST published (if its code differs from the stable
 * version's) unless --version names one.
 *
 * <p>Reads: the zip (--artifact) for --percent/--promote, which must pass verify-deploy's checks
 * (incl. the smoke invoke unless --no-invoke) on the version being rolled out, else nothing
 * changes; the function from --function or the stack outputs; AWS credentials/endpoint as
 * verify-deploy. --rollback needs no zip and runs no verification: it must work while the new
 * version is broken.
 *
 * <p>Writes: alias {@code live} (FunctionVersion, RoutingConfig), alias {@code live-previous},
 * maybe a new published version; the before/after table to the step summary; step outputs {@code
 * stable-version}, {@code canary-version}, {@code canary-percent}. Prints: before and after weights
 * and what was done (stdout); with --format json one object on stdout (before and after weights per
 * version, action, changed, the step outputs) and the lines on stderr.
 *
 * <p>--dry-run: the same reads and verification, then the routing it would set; no alias is updated
 * and no version published.
 *
 * <p>Exits: 0 done or nothing to do; 2 bad option; 3 no pulumi / credentials; 4 verification failed
 * (nothing changed); 6 AWS error; 7 the alias changed meanwhile; 8 no zip, function or alias
 * missing.
 */
// no mixinStandardHelpOptions: its --version would take the name --version, which here means a
// Lambda version;
// -h/--help and -V are declared below instead
@Command(
        name = "rollout",
        description =
                "Shift, promote or roll back the scorer's traffic between Lambda versions (alias weights).")
public class RolloutCommand extends BaseCommand {
    @Mixin EnvironmentParameter environment;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = "-V", versionHelp = true, description = "Print version information and exit.")
    boolean versionHelp;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static class Action {
        @Option(
                names = "--percent",
                paramLabel = "N",
                description = "Send N %% (1-99) to the new version.")
        Integer percent;

        @Option(names = "--promote", description = "Send all traffic to the new version.")
        boolean promote;

        @Option(
                names = "--rollback",
                description = "Back to the stable (or, after a promote, the previous) version.")
        boolean rollback;
    }

    @Option(
            names = "--version",
            paramLabel = "V",
            description = "Published version to roll out (default: $LATEST, published if new).")
    String version;

    @Option(
            names = "--alias",
            paramLabel = "NAME",
            description =
                    "Alias the ALB targets (default: the stack output rustScorerAliasName, else live).")
    String alias;

    @Mixin LambdaTargetOptions target;

    @Mixin FormatOption output;

    @Mixin DryRunOption dryRun;

    /**
     * rollout's result record: the weights before and after (version → percent), what was done, and
     * the step outputs. The "before:" line is printed by the flow before it verifies anything.
     *
     * @param outcome the flow's own outcome, for the text and the summary table (not in the JSON)
     */
    record RolloutReport(
            String environment,
            String functionName,
            String alias,
            String action,
            boolean changed,
            Map<String, BigDecimal> before,
            Map<String, BigDecimal> after,
            Map<String, String> outputs,
            @JsonIgnore RolloutFlow.Outcome outcome)
            implements Report {
        static RolloutReport of(String environment, RolloutFlow.Outcome done) {
            Rollout.Step step = done.step();
            return new RolloutReport(
                    environment,
                    done.functionName(),
                    step.after().alias(),
                    step.action(),
                    step.changed(),
                    step.before().percentages(),
                    step.after().percentages(),
                    done.outputs(),
                    done);
        }

        @Override
        public void printText(Log log) {
            log.result("after:  " + outcome.step().after().describe());
            log.result(outcome.step().action());
        }

        @Override
        public void writeActions(Actions actions) {
            actions.summaryTable(
                    outcome.summaryTitle(),
                    RolloutFlow.Outcome.SUMMARY_HEADER,
                    outcome.summaryRows());
            outputs.forEach(actions::output);
        }
    }

    @Override
    protected int execute() {
        // a negative --max-wait means "do not wait" here (verify-deploy refuses it)
        RolloutRequest request =
                new RolloutRequest(
                        environment.parse(),
                        action.percent,
                        action.promote,
                        action.rollback,
                        version,
                        alias,
                        target.function,
                        target.artifact,
                        target.region,
                        target.endpoint,
                        !target.noInvoke,
                        Duration.ofSeconds(Math.max(0, target.maxWaitSeconds)),
                        dryRun.dryRun);
        RolloutFlow.Outcome done =
                new RolloutFlow(context(), log(), actions(), log()::result).run(request);
        report(RolloutReport.of(request.environment().id(), done));
        return ExitCode.OK.code;
    }
}
