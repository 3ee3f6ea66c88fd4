package scorerci.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A FAKE of the OTLP/HTTP traces receiver of the ADOT collector extension (the Lambda layer cannot
 * run here): {@code POST /v1/traces} with {@code Content-Type: application/x-protobuf}, answered
 * 200 with an empty {@code ExportTraceServiceResponse}, as the collector's {@code otlp} receiver
 * does. Other content types get 415 and other paths 404, so a misconfigured exporter is visible.
 *
 * <p>Bodies are decoded with a minimal protobuf field scan of {@code
 * opentelemetry/proto/collector/trace/v1/trace_service.proto} (ExportTraceServiceRequest →
 * ResourceSpans → ScopeSpans → Span), enough for tests to assert names, ids, kinds, times and
 * attributes.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** One received span with its resource's attributes (e.g. {@code service.name}). */
    public record Span(
            Map<String, Object> resource,
            String name,
            String traceId,
            String spanId,
            String parentSpanId,
            int kind,
            long startNanos,
            long endNanos,
            Map<String, Object> attributes) {
        public static final int KIND_SERVER = 2;

        public Duration duration() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Span> spans = new LinkedBlockingQueue<>();
    private final List<String> rejected = java.util.Collections.synchronizedList(new ArrayList<>());

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static OtlpReceiver start() {
        try {
            return new OtlpReceiver();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /**
     * The value for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the exporter appends {@code /v1/traces}).
     */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Spans received so far, removed from the queue. */
    public List<Span> drain() {
        List<Span> out = new ArrayList<>();
        spans.drainTo(out);
        return out;
    }

    /** Waits up to {@code timeout} for the next span; null if none came. */
    public Span next(Duration timeout) throws InterruptedException {
        return spans.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Requests refused (wrong path or content type). */
    public List<String> rejected() {
        synchronized (rejected) {
            return List.copyOf(rejected);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!exchange.getRequestMethod().equals("POST") || !path.equals("/v1/traces")) {
                rejected.add(exchange.getRequestMethod() + " " + path);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!type.startsWith("application/x-protobuf")) {
                rejected.add("content type " + type);
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            try {
                spans.addAll(decodeRequest(body));
            } catch (RuntimeException e) {
                rejected.add("undecodable protobuf: " + e);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // empty ExportTraceServiceResponse
        }
    }

    // ---- minimal protobuf decoding -------------------------------------------------------------

    static List<Span> decodeRequest(byte[] bytes) {
        List<Span> out = new ArrayList<>();
        for (Field rs : fields(bytes)) {
            if (rs.number != 1) continue; // resource_spans
            Map<String, Object> resource = new LinkedHashMap<>();
            List<byte[]> scopeSpans = new ArrayList<>();
            for (Field f : fields(rs.bytes)) {
                if (f.number == 1) { // Resource
                    for (Field a : fields(f.bytes))
                        if (a.number == 1) putKeyValue(resource, a.bytes);
                } else if (f.number == 2) {
                    scopeSpans.add(f.bytes);
                }
            }
            for (byte[] ss : scopeSpans) {
                for (Field f : fields(ss))
                    if (f.number == 2) out.add(decodeSpan(resource, f.bytes));
            }
        }
        return out;
    }

    private static Span decodeSpan(Map<String, Object> resource, byte[] bytes) {
        String name = null, traceId = null, spanId = null, parent = "";
        int kind = 0;
        long start = 0, end = 0;
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Field f : fields(bytes)) {
            switch (f.number) {
                case 1 -> traceId = HexFormat.of().formatHex(f.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(f.bytes);
                case 4 -> parent = HexFormat.of().formatHex(f.bytes);
                case 5 -> name = new String(f.bytes, StandardCharsets.UTF_8);
                case 6 -> kind = (int) f.varint;
                case 7 -> start = f.fixed64;
                case 8 -> end = f.fixed64;
                case 9 -> putKeyValue(attributes, f.bytes);
                default -> {}
            }
        }
        return new Span(
                Map.copyOf(resource), name, traceId, spanId, parent, kind, start, end, attributes);
    }

    /**
     * KeyValue { string key = 1; AnyValue value = 2 }; AnyValue: string 1, bool 2, int64 3, double
     * 4.
     */
    private static void putKeyValue(Map<String, Object> into, byte[] bytes) {
        String key = null;
        Object value = null;
        for (Field f : fields(bytes)) {
            if (f.number == 1) {
                key = new String(f.bytes, StandardCharsets.UTF_8);
            } else if (f.number == 2) {
                for (Field v : fields(f.bytes)) {
                    value =
                            switch (v.number) {
                                case 1 -> new String(v.bytes, StandardCharsets.UTF_8);
                                case 2 -> v.varint != 0;
                                case 3 -> v.varint;
                                case 4 -> Double.longBitsToDouble(v.fixed64);
                                default -> value;
                            };
                }
            }
        }
        if (key != null) into.put(key, value);
    }

    private record Field(int number, long varint, long fixed64, byte[] bytes) {}

    private static List<Field> fields(byte[] bytes) {
        List<Field> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            long tag = varint(in);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> out.add(new Field(number, varint(in), 0, null));
                case 1 -> out.add(new Field(number, 0, in.getLong(), null));
                case 2 -> {
                    int length = Math.toIntExact(varint(in));
                    byte[] chunk = new byte[length];
                    in.get(chunk);
                    out.add(new Field(number, 0, 0, chunk));
                }
                case 5 -> out.add(new Field(number, 0, in.getInt() & 0xffffffffL, null));
                default ->
                        throw new IllegalArgumentException("unsupported wire type in tag " + tag);
            }
        }
        return out;
    }

    private static long varint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }
}
