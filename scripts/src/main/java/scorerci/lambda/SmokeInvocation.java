package scorerci.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * One synchronous Invoke with the event the ALB sends for {@code GET /health}, log tail requested.
 * It passes when Lambda answers 200 without a FunctionError and the scorer's own ALB response has
 * statusCode 200; otherwise the check's actual value carries the function error, the response and
 * the last lines of the decoded log tail, since that is where a crash ({@code
 * Runtime.InvalidEntrypoint}, {@code GLIBC_2.38 not found}) shows.
 */
public final class SmokeInvocation {
    public static final String CHECK_NAME = "smoke invoke GET /health";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL_LINES_IN_MESSAGE = 6;

    private SmokeInvocation() {}

    /** The result of one invoke: the check plus the full decoded log tail for printing. */
    public record Outcome(Check check, String logTail, String executedVersion) {}

    public static Outcome run(LambdaClient lambda, String functionName, String qualifier) {
        InvokeResponse response =
                LambdaCalls.call(
                        "Invoke " + functionName + ":" + qualifier,
                        () ->
                                lambda.invoke(
                                        b ->
                                                b.functionName(functionName)
                                                        .qualifier(qualifier)
                                                        .invocationType(
                                                                InvocationType.REQUEST_RESPONSE)
                                                        .logType(LogType.TAIL)
                                                        .payload(
                                                                SdkBytes.fromUtf8String(
                                                                        healthEvent(
                                                                                functionName)))));
        String logTail = decodeLog(response.logResult());
        String payload = response.payload() == null ? "" : response.payload().asUtf8String();
        Integer albStatus = albStatus(payload);

        boolean ok =
                response.statusCode() != null
                        && response.statusCode() == 200
                        && response.functionError() == null
                        && albStatus != null
                        && albStatus == 200;
        String actual =
                ok
                        ? "HTTP 200, response statusCode 200"
                        : describeFailure(response, payload, albStatus, logTail);
        String hint =
                response.functionError() != null
                        ? "the function crashed or returned an error; its log tail is above (exec format error: architecture; "
                                + "InvalidEntrypoint: exec bit; GLIBC_x not found: glibc floor)"
                        : "the scorer answered but not with 200 for GET /health: the deployed build is broken or not the scorer";
        return new Outcome(
                Check.of(
                        CHECK_NAME,
                        "HTTP 200, no FunctionError, response statusCode 200",
                        actual,
                        ok,
                        hint),
                logTail,
                response.executedVersion());
    }

    /**
     * The ALB target-group event for GET /health (lambda-zip.md §6), as the listener rule would
     * send it.
     */
    static String healthEvent(String functionName) {
        ObjectNode event = JSON.createObjectNode();
        event.putObject("requestContext")
                .putObject("elb")
                .put(
                        "targetGroupArn",
                        "arn:aws:elasticloadbalancing:us-west-2:000000000000:targetgroup/"
                                + shortName(functionName)
                                + "/smoke");
        event.put("httpMethod", "GET");
        event.put("path", "/health");
        event.putObject("queryStringParameters");
        ObjectNode headers = event.putObject("headers");
        headers.put("host", "smoke-test.scorer.invalid");
        headers.put("user-agent", "scorerci-verify-deploy");
        headers.put("x-use-rust-scorer", "true");
        event.put("body", "");
        event.put("isBase64Encoded", false);
        return event.toString();
    }

    static String decodeLog(String base64) {
        if (base64 == null || base64.isEmpty()) return "";
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "(log tail was not base64: " + base64 + ")";
        }
    }

    private static Integer albStatus(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            JsonNode status = node == null ? null : node.get("statusCode");
            return status != null && status.canConvertToInt() ? status.asInt() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String describeFailure(
            InvokeResponse response, String payload, Integer albStatus, String logTail) {
        StringBuilder s = new StringBuilder("HTTP ").append(response.statusCode());
        if (response.functionError() != null)
            s.append(", FunctionError ").append(response.functionError());
        s.append(
                albStatus == null
                        ? ", response without statusCode"
                        : ", response statusCode " + albStatus);
        s.append(", payload ").append(excerpt(payload.replaceAll("\\s+", " "), 200));
        List<String> tail = Arrays.stream(logTail.split("\\R")).filter(l -> !l.isBlank()).toList();
        if (!tail.isEmpty()) {
            s.append(", log tail: ")
                    .append(
                            String.join(
                                    " | ",
                                    tail.subList(
                                            Math.max(0, tail.size() - TAIL_LINES_IN_MESSAGE),
                                            tail.size())));
        }
        return s.toString();
    }

    private static String excerpt(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static String shortName(String functionName) {
        String name =
                functionName.contains(":function:")
                        ? functionName.substring(functionName.indexOf(":function:") + 10)
                        : functionName;
        name = name.replaceAll("[^A-Za-z0-9-]", "-");
        return name.length() > 32 ? name.substring(0, 32) : name;
    }
}
