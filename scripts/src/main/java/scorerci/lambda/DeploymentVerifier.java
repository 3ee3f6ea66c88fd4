package scorerci.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import scorerci.core.Log;
import scorerci.zip.VerifiedZip;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionRequest;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.waiters.LambdaWaiter;

/**
 * Proves that the deployed function is the one the local zip describes: it waits (bounded, with the
 * SDK's V2 waiters) until the function is Active and its last update Successful, compares its
 * configuration with what the rust scorer needs and with the zip's own hash and architecture, and
 * then invokes it once with an ALB {@code GET /health} event.
 *
 * <p>{@link #check} returns every result; {@link #verify} also throws a {@link
 * FunctionVerificationException} (VERIFICATION) naming each mismatch. A function that does not
 * exist is NOT_FOUND; an AWS error is REMOTE; missing credentials PREREQUISITE.
 */
public final class DeploymentVerifier {
    /** The AWS Distro for OpenTelemetry collector layer the scorer exports its spans to. */
    public static final String OTEL_LAYER_NAME = "aws-otel-collector-arm64-ver-0-117-0";

    public static final String OTEL_LAYER_PUBLISHER = "901920570463";
    public static final String RUNTIME = "provided.al2023";
    public static final String HANDLER = "bootstrap";
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

    private final LambdaClient lambda;
    private final Log log;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private Duration poll = DEFAULT_POLL;
    private boolean invoke = true;

    public DeploymentVerifier(LambdaClient lambda, Log log) {
        this.lambda = lambda;
        this.log = log;
    }

    /** How long to wait for State Active / LastUpdateStatus Successful, and how often to look. */
    public DeploymentVerifier waitAtMost(Duration maxWait, Duration poll) {
        if (maxWait.isNegative() || poll.isZero() || poll.isNegative()) {
            throw new IllegalArgumentException("wait must be >= 0 and poll > 0");
        }
        this.maxWait = maxWait;
        this.poll = poll;
        return this;
    }

    /** Whether to run the smoke Invoke (on by default). */
    public DeploymentVerifier invoke(boolean invoke) {
        this.invoke = invoke;
        return this;
    }

    /** Checks $LATEST against the zip and throws if anything differs. */
    public VerificationReport verify(String functionName, VerifiedZip zip) {
        return verify(functionName, "$LATEST", zip);
    }

    /** Checks a published version (or "$LATEST") against the zip and throws if anything differs. */
    public VerificationReport verify(String functionName, String qualifier, VerifiedZip zip) {
        VerificationReport report = check(functionName, qualifier, zip);
        if (!report.ok()) throw new FunctionVerificationException(report);
        return report;
    }

    /** Runs every check and returns them all; throws only when the checks cannot run at all. */
    public VerificationReport check(String functionName, String qualifier, VerifiedZip zip) {
        String target = "$LATEST".equals(qualifier) ? functionName : functionName + ":" + qualifier;
        log.progress(
                "verifying "
                        + target
                        + " against "
                        + zip.path().getFileName()
                        + " (CodeSha256 "
                        + zip.codeSha256()
                        + ")");
        GetFunctionConfigurationResponse config = configuration(functionName, qualifier);
        if (!ready(config)) {
            log.progress(
                    "waiting up to "
                            + maxWait.toSeconds()
                            + " s for "
                            + target
                            + " (State "
                            + config.stateAsString()
                            + ", LastUpdateStatus "
                            + config.lastUpdateStatusAsString()
                            + ")");
            waitUntilReady(functionName, qualifier);
            config = configuration(functionName, qualifier);
        }

        List<Check> checks = new ArrayList<>();
        checks.add(
                Check.of(
                        "state",
                        "Active",
                        withReason(
                                config.stateAsString(),
                                config.stateReasonCodeAsString(),
                                config.stateReason()),
                        config.state() == State.ACTIVE,
                        "the function is not Active after waiting "
                                + maxWait.toSeconds()
                                + " s; its state reason says why"));
        checks.add(
                Check.of(
                        "last update",
                        "Successful",
                        withReason(
                                config.lastUpdateStatusAsString(),
                                config.lastUpdateStatusReasonCodeAsString(),
                                config.lastUpdateStatusReason()),
                        config.lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL,
                        "the last code or configuration update did not succeed (or is still running); rerun deploy"));
        checks.add(
                Check.equal(
                        "package type",
                        "Zip",
                        config.packageTypeAsString(),
                        "an Image function cannot use layers, so the OTEL collector cannot run; the stack must build a Zip function"));
        checks.add(
                Check.equal(
                        "runtime",
                        RUNTIME,
                        config.runtimeAsString(),
                        "the scorer is a custom-runtime binary built against AL2023's glibc 2.34; set runtime provided.al2023"));
        checks.add(
                Check.equal(
                        "handler",
                        HANDLER,
                        config.handler(),
                        "custom runtimes start /var/task/bootstrap; set handler bootstrap"));
        String arch = lambdaArchitecture(zip.machine());
        checks.add(
                Check.equal(
                        "architectures",
                        "[" + arch + "]",
                        String.valueOf(config.architecturesAsStrings()),
                        "the zip's bootstrap is "
                                + zip.machine()
                                + ": any other architecture fails with \"exec format error\", "
                                + "for the scorer and for the OTEL layer's extension; set architectures [\""
                                + arch
                                + "\"]"));
        checks.add(layerCheck(config.layers()));
        checks.add(
                Check.equal(
                        "CodeSha256",
                        zip.codeSha256(),
                        config.codeSha256(),
                        "a different zip was deployed than "
                                + zip.path().getFileName()
                                + " (sha256 "
                                + zip.sha256Hex()
                                + "); deploy this artifact, or point --artifact at the zip that was deployed"));

        if (invoke) {
            if (config.state() == State.ACTIVE
                    && config.lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL) {
                log.progress("invoking " + target + " with an ALB GET /health event");
                SmokeInvocation.Outcome outcome =
                        SmokeInvocation.run(lambda, functionName, qualifier);
                if (!outcome.check().ok() && !outcome.logTail().isBlank()) {
                    log.warn(
                            "log tail of the smoke invoke of "
                                    + target
                                    + ":\n"
                                    + outcome.logTail().stripTrailing());
                } else if (!outcome.logTail().isBlank()) {
                    log.detail(
                            "log tail of the smoke invoke:\n" + outcome.logTail().stripTrailing());
                }
                checks.add(outcome.check());
            } else {
                checks.add(
                        Check.of(
                                SmokeInvocation.CHECK_NAME,
                                "HTTP 200",
                                "not run: the function is not ready",
                                false,
                                "fix the state above first"));
            }
        }
        return new VerificationReport(functionName, qualifier, checks);
    }

    private GetFunctionConfigurationResponse configuration(String functionName, String qualifier) {
        return LambdaCalls.call(
                "GetFunctionConfiguration " + functionName + ":" + qualifier,
                () ->
                        lambda.getFunctionConfiguration(
                                b -> b.functionName(functionName).qualifier(qualifier)));
    }

    private static boolean ready(GetFunctionConfigurationResponse config) {
        return config.state() == State.ACTIVE
                && config.lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL;
    }

    /**
     * The SDK's waiters; a timeout or a Failed state is not thrown here: the configuration read
     * afterwards turns it into a failing check with AWS's own reason.
     */
    private void waitUntilReady(String functionName, String qualifier) {
        int attempts =
                (int) Math.max(1, Math.min(10_000, maxWait.toMillis() / poll.toMillis() + 1));
        WaiterOverrideConfiguration bounded =
                WaiterOverrideConfiguration.builder()
                        .maxAttempts(attempts)
                        .waitTimeout(maxWait.isZero() ? poll : maxWait)
                        .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(poll))
                        .build();
        GetFunctionRequest request =
                GetFunctionRequest.builder()
                        .functionName(functionName)
                        .qualifier(qualifier)
                        .build();
        try (LambdaWaiter waiter =
                LambdaWaiter.builder().client(lambda).overrideConfiguration(bounded).build()) {
            waiter.waitUntilFunctionActiveV2(request);
            waiter.waitUntilFunctionUpdatedV2(request);
        } catch (SdkClientException e) {
            log.detail("waiter stopped: " + e.getMessage());
        }
    }

    private static Check layerCheck(List<Layer> layers) {
        List<String> arns = layers == null ? List.of() : layers.stream().map(Layer::arn).toList();
        String expected =
                OTEL_LAYER_NAME + " (any version, publisher " + OTEL_LAYER_PUBLISHER + ")";
        for (String arn : arns) {
            if (OTEL_LAYER_NAME.equals(layerName(arn)))
                return Check.of("OTEL layer", expected, arn, true, "");
        }
        String hint;
        if (arns.stream()
                .anyMatch(
                        a -> String.valueOf(layerName(a)).startsWith("aws-otel-collector-amd64"))) {
            hint =
                    "the amd64 collector on an arm64 function fails with \"exec format error\" when the extension starts";
        } else if (arns.stream()
                .anyMatch(a -> String.valueOf(layerName(a)).startsWith("aws-otel-collector-"))) {
            hint =
                    "another collector version is attached; older ones became inaccessible (0-102-1:2 did) and the "
                            + "collector.yaml in the zip is written for 0-117-0";
        } else {
            hint =
                    "without the collector layer the scorer's spans to 127.0.0.1:4318 reach nothing: no X-Ray traces; "
                            + "the stack must attach the layer (Zip functions only)";
        }
        return Check.of(
                "OTEL layer",
                expected,
                arns.isEmpty() ? "(none)" : String.join(", ", arns),
                false,
                hint);
    }

    /** "arn:aws:lambda:us-west-2:901920570463:layer:NAME:1" → NAME, or null for anything else. */
    static String layerName(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        if (parts.length != 8
                || !"arn".equals(parts[0])
                || !"lambda".equals(parts[2])
                || !"layer".equals(parts[5])) {
            return null;
        }
        return parts[6];
    }

    /** ELF machine name (VerifiedZip.machine) → Lambda's architecture name. */
    static String lambdaArchitecture(String elfMachine) {
        return switch (String.valueOf(elfMachine)) {
            case "x86_64", "x86-64" -> "x86_64";
            default -> "arm64";
        };
    }

    private static String withReason(String value, String code, String reason) {
        String v = value == null ? "(none)" : value;
        if (code == null && (reason == null || reason.isBlank())) return v;
        return v + " (" + (code == null ? "" : code + ": ") + (reason == null ? "" : reason) + ")";
    }
}
