package scorerci.lambda;

import java.time.Duration;
import java.util.Map;
import scorerci.core.Actions;
import scorerci.core.Context;
import scorerci.core.Log;
import scorerci.core.Stage;
import scorerci.provenance.DigestChain;
import scorerci.stack.DeployedFunction;
import scorerci.zip.VerifiedZip;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The verify-deploy stage: proves that one version of a deployed function serves a zip, as commands
 * run it (verify-deploy, deploy after {@code pulumi up} through {@link #forDeploy}; rollout reports
 * its candidate's checks with {@link #report}): builds the client from the environment, runs {@link
 * DeploymentVerifier}, prints one line per check and the digest chain (build → artifact →
 * downloaded → deployed, {@link DigestChain}), writes both to the step summary, and throws {@link
 * FunctionVerificationException} (exit 4) if any check failed.
 */
public final class FunctionVerification
        implements Stage<FunctionVerification.Request, VerificationReport> {
    public static final String SUMMARY_TITLE = "Deployed function verification";

    /**
     * @param qualifier "$LATEST" or a published version
     * @param endpoint null: --endpoint-url not given (AWS_ENDPOINT_URL[_LAMBDA] still apply)
     * @param maxWait how long to wait for State Active / LastUpdateStatus Successful
     */
    public record Request(
            String functionName,
            String qualifier,
            VerifiedZip zip,
            String region,
            String endpoint,
            boolean invoke,
            Duration maxWait,
            Duration poll) {}

    private final Map<String, String> env;
    private final Actions actions;
    private final Log log;

    /**
     * @param env AWS credentials, region and endpoint come from it
     */
    public FunctionVerification(Map<String, String> env, Actions actions, Log log) {
        this.env = env;
        this.actions = actions;
        this.log = log;
    }

    public FunctionVerification(Context context, Log log) {
        this(context.env(), context.actions(), log);
    }

    /**
     * The shape of deploy's hook {@code scorerci.pulumi.PostDeployCheck.LambdaCheck}: verifies the
     * version the stack's {@code up} published ({@link DeployedFunction#qualifier()}) and returns
     * one line saying what was proven. It is deploy's {@code FunctionVerification.AWS}.
     */
    public static String forDeploy(
            DeployedFunction function,
            VerifiedZip zip,
            String region,
            Map<String, String> env,
            Log log) {
        Request request =
                new Request(
                        function.functionName(),
                        function.qualifier(),
                        zip,
                        region,
                        null,
                        true,
                        DeploymentVerifier.DEFAULT_MAX_WAIT,
                        DeploymentVerifier.DEFAULT_POLL);
        return new FunctionVerification(env, new Actions(env, log.out()), log)
                .prove(request)
                .proof();
    }

    /**
     * The checks, shown ({@link #show}), or {@link FunctionVerificationException} (exit 4) if any
     * failed: what deploy runs after {@code pulumi up}.
     */
    public VerificationReport prove(Request request) {
        VerificationReport report = run(request);
        show(actions, log, report, request.zip());
        if (!report.ok()) throw new FunctionVerificationException(report);
        return report;
    }

    /**
     * Runs every check and returns the report, passed or not; prints nothing (the caller shows it:
     * {@link #show}), throws only when the checks cannot run at all (no credentials, AWS errors).
     */
    @Override
    public VerificationReport run(Request request) {
        LambdaClients.Settings settings =
                LambdaClients.resolve(env, request.region(), request.endpoint());
        log.detail("Lambda: " + LambdaClients.describe(settings));
        try (LambdaClient lambda = LambdaClients.create(settings)) {
            return new DeploymentVerifier(lambda, log)
                    .waitAtMost(request.maxWait(), request.poll())
                    .invoke(request.invoke())
                    .check(request.functionName(), request.qualifier(), request.zip());
        }
    }

    /** The report on the log and in the step summary: {@link #printed} then {@link #summarized}. */
    public static void show(Actions actions, Log log, VerificationReport report, VerifiedZip zip) {
        printed(log, report, zip);
        summarized(actions, report, zip);
    }

    /** One line per check (results), then the digest chain (build → … → deployed). */
    public static void printed(Log log, VerificationReport report, VerifiedZip zip) {
        printChecks(log, report);
        chain(report, zip).lines().forEach(log::info);
    }

    /** The checks table and the digest chain in the step summary. */
    public static void summarized(Actions actions, VerificationReport report, VerifiedZip zip) {
        summarizeChecks(actions, report);
        actions.summary(chain(report, zip).markdown());
    }

    private static DigestChain chain(VerificationReport report, VerifiedZip zip) {
        Check deployed = report.check("CodeSha256");
        return DigestChain.of(zip.path(), zip.sha256Hex())
                .deployed(deployed == null ? null : deployed.actual());
    }

    /** One line per check on stdout, and the table in the step summary (rollout's candidate). */
    public static void report(Actions actions, Log log, VerificationReport report) {
        printChecks(log, report);
        summarizeChecks(actions, report);
    }

    private static void printChecks(Log log, VerificationReport report) {
        log.result(
                "function "
                        + report.target()
                        + ": "
                        + (report.ok()
                                ? "verified"
                                : report.failures().size()
                                        + " of "
                                        + report.checks().size()
                                        + " checks failed"));
        for (Check c : report.checks()) {
            log.result(
                    String.format(
                            "  %-4s %-26s %s",
                            c.ok() ? "ok" : "FAIL",
                            c.name(),
                            c.ok()
                                    ? c.actual()
                                    : "expected "
                                            + c.expected()
                                            + ", actual "
                                            + c.actual()
                                            + "\n"
                                            + " ".repeat(33)
                                            + "hint: "
                                            + c.hint()));
        }
    }

    private static void summarizeChecks(Actions actions, VerificationReport report) {
        actions.summaryTable(
                SUMMARY_TITLE + ": " + report.target() + (report.ok() ? " ✅" : " ❌"),
                VerificationReport.SUMMARY_HEADER,
                report.summaryRows());
    }
}
