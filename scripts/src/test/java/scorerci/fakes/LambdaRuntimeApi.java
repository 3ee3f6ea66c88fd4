package scorerci.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FAKE of the AWS Lambda Runtime API (version 2018-06-01), the HTTP service Lambda runs next to a
 * custom runtime ({@code bootstrap}). It is a fake because the real one exists only inside Lambda's
 * sandbox; it is faithful to the parts a runtime uses (see {@code lambda-zip.md} §6):
 *
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next} blocks until an event is queued, then
 *       answers 200 with the event as body and the headers {@code Lambda-Runtime-Aws-Request-Id},
 *       {@code Lambda-Runtime-Deadline-Ms} (epoch ms), {@code Lambda-Runtime-Invoked-Function-Arn},
 *       {@code Lambda-Runtime-Trace-Id} ({@code Root=1-…;Parent=…;Sampled=1}).
 *   <li>{@code POST …/invocation/{id}/response} and {@code …/invocation/{id}/error}: 202; an
 *       unknown id gives 400 {@code InvalidRequestID}, answering twice 403 {@code
 *       InvalidStateTransition}, a response over 6 MB 413 (and the invocation fails as Lambda's
 *       would).
 *   <li>{@code POST /2018-06-01/runtime/init/error}: 202; recorded in {@link #initError()}, and
 *       every queued or running invocation fails with it.
 * </ul>
 *
 * <p>Usage (the runtime is any process given {@code AWS_LAMBDA_RUNTIME_API=api.address()}):
 *
 * <pre>{@code
 * try (var api = LambdaRuntimeApi.start()) {
 *     // start bootstrap with env AWS_LAMBDA_RUNTIME_API=api.address()
 *     Invocation result = api.invoke(AlbEvents.get("/health")).get(30, SECONDS);
 *     AlbEvents.Response response = AlbEvents.response(result);   // statusCode, headers, body
 * }
 * }</pre>
 *
 * Listens on 127.0.0.1 with an ephemeral port; handler threads are daemons, and {@link #close()}
 * stops the server and fails every unfinished invocation so no test waits forever.
 */
public final class LambdaRuntimeApi implements AutoCloseable {
    /** Lambda's synchronous response payload limit. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

    public static final String DEFAULT_FUNCTION_ARN =
            "arn:aws:lambda:us-west-2:123456789012:function:passport-v2-rust-scorer";

    private static final String PREFIX = "/2018-06-01/runtime";
    private static final Pattern INVOCATION_REPLY =
            Pattern.compile(PREFIX + "/invocation/([^/]+)/(response|error)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the runtime answered for one event. */
    public record Invocation(
            String requestId, String traceId, boolean error, String errorType, String body) {
        /** The response body, failing loudly if the runtime reported an error instead. */
        public String responseBody() {
            if (error) {
                throw new AssertionError(
                        "invocation " + requestId + " failed (" + errorType + "): " + body);
            }
            return body;
        }
    }

    private record Pending(
            String requestId,
            String traceId,
            String eventJson,
            long deadlineMs,
            CompletableFuture<Invocation> result) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Boolean> answered = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final AtomicInteger polls = new AtomicInteger();
    private final List<String> protocolErrors =
            java.util.Collections.synchronizedList(new ArrayList<>());
    private final String functionArn;
    private final Duration timeout;
    private volatile boolean closed;

    private LambdaRuntimeApi(String functionArn, Duration timeout) throws IOException {
        this.functionArn = functionArn;
        this.timeout = timeout;
        this.server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger threads = new AtomicInteger();
        // /next blocks a handler thread, so the pool must grow: a runtime may hold one long poll
        // while it posts a response on a second connection.
        this.executor =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t =
                                    new Thread(
                                            r, "lambda-runtime-api-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext(PREFIX + "/", this::route);
        server.start();
    }

    /**
     * Starts a fake with the default function ARN and a 30 s function timeout (for the deadline).
     */
    public static LambdaRuntimeApi start() {
        return start(DEFAULT_FUNCTION_ARN, Duration.ofSeconds(30));
    }

    public static LambdaRuntimeApi start(String functionArn, Duration functionTimeout) {
        try {
            return new LambdaRuntimeApi(functionArn, functionTimeout);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}: {@code 127.0.0.1:PORT}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The environment Lambda gives a {@code provided.al2023} runtime, pointed at this fake. The
     * Rust runtime ({@code lambda_runtime}) refuses to start without the {@code
     * AWS_LAMBDA_FUNCTION_*} values. Start the runtime with a CLEARED environment plus this map
     * (and PATH), as Lambda does.
     */
    public Map<String, String> environment(java.nio.file.Path taskRoot) {
        String name = functionArn.substring(functionArn.lastIndexOf(':') + 1);
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put(
                "AWS_LAMBDA_LOG_STREAM_NAME",
                "2025/01/01/[$LATEST]0123456789abcdef0123456789abcdef");
        env.put("AWS_REGION", "us-west-2");
        env.put("AWS_DEFAULT_REGION", "us-west-2");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_rapid");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toAbsolutePath().toString());
        env.put("LAMBDA_RUNTIME_DIR", "/var/runtime");
        env.put("_HANDLER", "bootstrap");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        return env;
    }

    /**
     * Queues an event; the future completes when the runtime posts its response or error. Callers
     * should always {@code get} it with a timeout: a crashed runtime never answers.
     */
    public CompletableFuture<Invocation> invoke(String eventJson) {
        if (closed) throw new IllegalStateException("the fake Runtime API is closed");
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        RANDOM.nextBytes(root);
        RANDOM.nextBytes(parent);
        String traceId =
                "Root=1-"
                        + String.format("%08x", System.currentTimeMillis() / 1000)
                        + "-"
                        + HexFormat.of().formatHex(root)
                        + ";Parent="
                        + HexFormat.of().formatHex(parent)
                        + ";Sampled=1";
        Pending pending =
                new Pending(
                        UUID.randomUUID().toString(),
                        traceId,
                        eventJson,
                        System.currentTimeMillis() + timeout.toMillis(),
                        new CompletableFuture<>());
        initError.thenAccept(
                error ->
                        pending.result.completeExceptionally(
                                new IllegalStateException(
                                        "runtime reported an init error: " + error)));
        queue.add(pending);
        return pending.result;
    }

    /** Completes when the runtime posts {@code /runtime/init/error}; the body is its JSON. */
    public CompletableFuture<String> initError() {
        return initError;
    }

    /**
     * How many {@code /invocation/next} calls arrived (a runtime polls once per event, plus once
     * idle).
     */
    public int polls() {
        return polls.get();
    }

    /** Requests the fake refused (unknown ids, double answers, unknown paths), for assertions. */
    public List<String> protocolErrors() {
        synchronized (protocolErrors) {
            return List.copyOf(protocolErrors);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        server.stop(0);
        executor.shutdownNow();
        IllegalStateException stopped =
                new IllegalStateException("the fake Runtime API was closed");
        queue.forEach(p -> p.result.completeExceptionally(stopped));
        inFlight.values().forEach(p -> p.result.completeExceptionally(stopped));
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals(PREFIX + "/invocation/next")) {
                if (!method.equals("GET")) {
                    refuse(exchange, 405, "MethodNotAllowed", method + " " + path);
                } else {
                    next(exchange);
                }
                return;
            }
            Matcher reply = INVOCATION_REPLY.matcher(path);
            if (reply.matches() && method.equals("POST")) {
                reply(exchange, reply.group(1), reply.group(2).equals("error"));
            } else if (path.equals(PREFIX + "/init/error") && method.equals("POST")) {
                String body = readBody(exchange.getRequestBody());
                initError.complete(body);
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (reply.matches() || path.equals(PREFIX + "/init/error")) {
                refuse(exchange, 405, "MethodNotAllowed", method + " " + path);
            } else {
                refuse(exchange, 404, "NotFound", method + " " + path);
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        polls.incrementAndGet();
        Pending pending;
        try {
            do {
                pending = queue.poll(200, TimeUnit.MILLISECONDS);
            } while (pending == null && !closed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (pending == null)
            return; // closed while waiting: drop the connection, as a dying sandbox does
        inFlight.put(pending.requestId, pending);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(pending.deadlineMs));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id", pending.traceId);
        byte[] event = pending.eventJson.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, event.length);
        exchange.getResponseBody().write(event);
    }

    private void reply(HttpExchange exchange, String requestId, boolean isError)
            throws IOException {
        Pending pending = inFlight.get(requestId);
        if (pending == null) {
            boolean known = answered.containsKey(requestId);
            readBody(exchange.getRequestBody());
            if (known) {
                refuse(
                        exchange,
                        403,
                        "InvalidStateTransition",
                        "invocation " + requestId + " was already answered");
            } else {
                refuse(
                        exchange,
                        400,
                        "InvalidRequestID",
                        "no invocation " + requestId + " is in flight");
            }
            return;
        }
        byte[] raw = exchange.getRequestBody().readAllBytes();
        inFlight.remove(requestId);
        answered.put(requestId, isError);
        if (!isError && raw.length > MAX_RESPONSE_BYTES) {
            pending.result.complete(
                    new Invocation(
                            requestId,
                            pending.traceId,
                            true,
                            "Function.ResponseSizeTooLarge",
                            "response of " + raw.length + " bytes exceeds " + MAX_RESPONSE_BYTES));
            refuse(exchange, 413, "RequestEntityTooLarge", "response of " + raw.length + " bytes");
            return;
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        String errorType =
                isError
                        ? exchange.getRequestHeaders()
                                .getFirst("Lambda-Runtime-Function-Error-Type")
                        : null;
        send(exchange, 202, "{\"status\":\"OK\"}");
        pending.result.complete(
                new Invocation(requestId, pending.traceId, isError, errorType, body));
    }

    private void refuse(HttpExchange exchange, int status, String type, String message)
            throws IOException {
        protocolErrors.add(status + " " + type + ": " + message);
        send(
                exchange,
                status,
                JSON.writeValueAsString(Map.of("errorMessage", message, "errorType", type)));
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String readBody(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
