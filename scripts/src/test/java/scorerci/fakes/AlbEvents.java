package scorerci.fakes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds Application Load Balancer target-group events as Lambda delivers them to the scorer, and
 * reads the ALB-shaped response back ({@code statusCode}, {@code statusDescription}, {@code
 * headers}, {@code body}, {@code isBase64Encoded}). Shapes from {@code lambda-zip.md} §6 and the
 * AWS docs "Using Lambda functions as targets".
 *
 * <pre>{@code
 * api.invoke(AlbEvents.health());
 * api.invoke(AlbEvents.score("1", "0x…40 hex…", "[{\"provider\":\"Google\",…}]"));
 * AlbEvents.Response r = AlbEvents.response(invocation);  // r.statusCode(), r.json().get("score")
 * }</pre>
 */
public final class AlbEvents {
    public static final String TARGET_GROUP_ARN =
            "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/l-passport-v2-rust-scorer/6d0ecf831eec9f09";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlbEvents() {}

    /** {@code GET /health}. */
    public static String health() {
        return event("GET", "/health", Map.of(), null);
    }

    /** {@code POST /v2/stamps/{scorerId}/score/{address}} with a JSON body (the stamps). */
    public static String score(String scorerId, String address, String stampsJson) {
        return post("/v2/stamps/" + scorerId + "/score/" + address, stampsJson);
    }

    public static String get(String path) {
        return event("GET", path, Map.of(), null);
    }

    public static String post(String path, String jsonBody) {
        return event("POST", path, Map.of("content-type", "application/json"), jsonBody);
    }

    /**
     * Any ALB event: single-value headers (the target group's default), the usual ALB/forwarding
     * headers added, an empty query string map, the body as text ({@code isBase64Encoded: false}).
     */
    public static String event(
            String method, String path, Map<String, String> extraHeaders, String body) {
        ObjectNode event = JSON.createObjectNode();
        event.putObject("requestContext").putObject("elb").put("targetGroupArn", TARGET_GROUP_ARN);
        event.put("httpMethod", method);
        event.put("path", path);
        event.putObject("queryStringParameters");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "api.review.passport.xyz");
        headers.put("user-agent", "scorerci-test");
        headers.put("x-amzn-trace-id", "Root=1-67891233-abcdef012345678912345678");
        headers.put("x-forwarded-for", "127.0.0.1");
        headers.put("x-forwarded-port", "443");
        headers.put("x-forwarded-proto", "https");
        headers.put("x-use-rust-scorer", "true");
        headers.putAll(extraHeaders);
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        event.put("body", body == null ? "" : body);
        event.put("isBase64Encoded", false);
        return event.toString();
    }

    /** An ALB response as the runtime posted it. */
    public record Response(
            int statusCode, String statusDescription, Map<String, String> headers, String body) {
        /** The body parsed as JSON (fails the test with the body if it is not JSON). */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("response body is not JSON: " + body, e);
            }
        }
    }

    /** Parses the invocation's response (fails if the runtime reported an error instead). */
    public static Response response(LambdaRuntimeApi.Invocation invocation) {
        return response(invocation.responseBody());
    }

    /** Parses an ALB response document; a base64 body is decoded. */
    public static Response response(String responseJson) {
        JsonNode node;
        try {
            node = JSON.readTree(responseJson);
        } catch (JsonProcessingException e) {
            throw new AssertionError("runtime response is not JSON: " + responseJson, e);
        }
        if (!node.has("statusCode")) {
            throw new AssertionError(
                    "runtime response has no statusCode (not an ALB response): " + responseJson);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        node.path("headers")
                .fields()
                .forEachRemaining(
                        e -> headers.put(e.getKey().toLowerCase(), e.getValue().asText()));
        String body = node.path("body").asText("");
        if (node.path("isBase64Encoded").asBoolean(false)) {
            body =
                    new String(
                            Base64.getDecoder().decode(body),
                            java.nio.charset.StandardCharsets.UTF_8);
        }
        return new Response(
                node.path("statusCode").asInt(),
                node.path("statusDescription").asText(null),
                headers,
                body);
    }
}
