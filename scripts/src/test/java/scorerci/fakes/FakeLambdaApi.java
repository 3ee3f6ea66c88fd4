package scorerci.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small in-JVM stand-in for three Lambda REST paths, for what moto cannot show: moto's Invoke
 * without Docker never returns a FunctionError or a log tail, and its functions are Active at once,
 * so a function stuck in Pending (the waiters' bound) cannot be staged there either.
 *
 * <ul>
 *   <li>{@code GET /2015-03-31/functions/{name}/configuration} and {@code GET
 *       /2015-03-31/functions/{name}} (the waiters' GetFunction): the configuration set for the
 *       function, or the state the {@link #stateSequence} gives for the n-th read;
 *   <li>{@code POST /2015-03-31/functions/{name}/invocations}: the response set with {@link
 *       #invokeAnswer}, with Lambda's headers X-Amz-Function-Error, X-Amz-Log-Result (base64) and
 *       X-Amz-Executed-Version.
 * </ul>
 *
 * Anything else is a 404 in Lambda's error format. Every request is recorded.
 */
public final class FakeLambdaApi implements AutoCloseable {
    private static final Pattern FUNCTION_PATH =
            Pattern.compile("/2015-03-31/functions/([^/]+)(/configuration|/invocations)?/?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, ObjectNode> configurations = new ConcurrentHashMap<>();
    private final Map<String, Function<Integer, String>> stateSequences = new ConcurrentHashMap<>();
    private final Map<String, Integer> reads = new ConcurrentHashMap<>();
    private final List<Request> requests =
            java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile InvokeAnswer answer = new InvokeAnswer(null, "{\"statusCode\":200}", "");

    public record Request(
            String method, String path, Map<String, List<String>> headers, String body) {}

    /** What Invoke returns: functionError null for success; logTail plain text (sent base64). */
    public record InvokeAnswer(String functionError, String payload, String logTail) {}

    public FakeLambdaApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Sets a function's configuration (the GetFunctionConfiguration JSON). */
    public void putFunction(String name, ObjectNode configuration) {
        configurations.put(name, configuration.deepCopy());
    }

    /** The State reported on the n-th read (0-based) of the function's configuration. */
    public void stateSequence(String name, Function<Integer, String> stateOfRead) {
        stateSequences.put(name, stateOfRead);
    }

    public void invokeAnswer(InvokeAnswer answer) {
        this.answer = answer;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** A configuration as the stack deploys the scorer; tests change single fields. */
    public static ObjectNode scorerConfiguration(String name, String codeSha256) {
        ObjectNode c = JSON.createObjectNode();
        c.put("FunctionName", name);
        c.put("FunctionArn", "arn:aws:lambda:us-west-2:123456789012:function:" + name);
        c.put("Version", "$LATEST");
        c.put("PackageType", "Zip");
        c.put("Runtime", "provided.al2023");
        c.put("Handler", "bootstrap");
        c.putArray("Architectures").add("arm64");
        c.putArray("Layers")
                .addObject()
                .put(
                        "Arn",
                        "arn:aws:lambda:us-west-2:901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:1")
                .put("CodeSize", 1000);
        c.put("CodeSha256", codeSha256);
        c.put("State", "Active");
        c.put("LastUpdateStatus", "Successful");
        return c;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            requests.add(
                    new Request(
                            exchange.getRequestMethod(),
                            path,
                            Map.copyOf(exchange.getRequestHeaders()),
                            body));
            Matcher m = FUNCTION_PATH.matcher(path);
            ObjectNode config = m.matches() ? configurations.get(m.group(1)) : null;
            if (config == null) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
                send(
                        exchange,
                        404,
                        "{\"Type\":\"User\",\"message\":\"Function not found: " + path + "\"}");
                return;
            }
            String name = m.group(1);
            String suffix = m.group(2) == null ? "" : m.group(2);
            if (exchange.getRequestMethod().equals("POST") && suffix.equals("/invocations")) {
                InvokeAnswer a = answer;
                if (a.functionError() != null)
                    exchange.getResponseHeaders().add("X-Amz-Function-Error", a.functionError());
                exchange.getResponseHeaders()
                        .add(
                                "X-Amz-Log-Result",
                                Base64.getEncoder()
                                        .encodeToString(
                                                a.logTail().getBytes(StandardCharsets.UTF_8)));
                exchange.getResponseHeaders().add("X-Amz-Executed-Version", "$LATEST");
                send(exchange, 200, a.payload());
                return;
            }
            if (exchange.getRequestMethod().equals("GET")) {
                ObjectNode current = config.deepCopy();
                Function<Integer, String> states = stateSequences.get(name);
                if (states != null)
                    current.put("State", states.apply(reads.merge(name, 1, Integer::sum) - 1));
                if (suffix.equals("/configuration")) {
                    send(exchange, 200, current.toString());
                } else {
                    ObjectNode function = JSON.createObjectNode();
                    function.set("Configuration", current);
                    send(exchange, 200, function.toString());
                }
                return;
            }
            send(exchange, 405, "{\"message\":\"not served by FakeLambdaApi\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
