package scorerci.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP/1.1 peer on loopback that misbehaves on purpose, speaking raw bytes on a socket so it can
 * do what no well-behaved server library allows: stall after the headers, trickle a byte at a time,
 * send a body that never ends (chunked or with a huge Content-Length), lie about the length, stall
 * inside a 5xx error body, redirect to {@code file:}, or accept and never answer.
 *
 * <p>Routes match the request path's start (longest first); each connection serves one request and
 * is closed ({@code Connection: close}). Every behaviour stops when the peer is closed.
 */
public final class HostilePeer implements AutoCloseable {
    /** One request as received. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {}

    /** What the peer does with a request; it writes raw bytes to {@code out}. */
    @FunctionalInterface
    public interface Behaviour {
        void serve(Request request, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Map<String, Behaviour> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private HostilePeer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "hostile-peer-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public static HostilePeer start() {
        try {
            return new HostilePeer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public HostilePeer route(String pathPrefix, Behaviour behaviour) {
        routes.put(pathPrefix, behaviour);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long count(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).count();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread t = new Thread(() -> handle(socket), "hostile-peer-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            Request request = read(in);
            if (request == null) return;
            requests.add(request);
            Behaviour behaviour =
                    routes.entrySet().stream()
                            .filter(e -> request.path().startsWith(e.getKey()))
                            .max(
                                    Map.Entry.comparingByKey(
                                            (a, b) -> Integer.compare(a.length(), b.length())))
                            .map(Map.Entry::getValue)
                            .orElse(status(404, "{\"msg\":\"no route\"}"));
            behaviour.serve(request, out);
            out.flush();
        } catch (SocketException closedByClient) {
            // the client gave up: that is what most behaviours are for
        } catch (IOException | InterruptedException e) {
            // the peer is closing
        } finally {
            open.remove(socket);
        }
    }

    private static Request read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) return null;
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon > 0)
                headers.put(
                        h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Request(parts[0], parts.length > 1 ? parts[1] : "/", headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    // --- behaviours ----------------------------------------------------------------------

    static void head(OutputStream out, int status, Map<String, String> headers) throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("Connection: close\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A complete response. */
    public static Behaviour status(int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return (r, out) -> {
            head(
                    out,
                    status,
                    headers(
                            "Content-Type",
                            "application/json",
                            "Content-Length",
                            Integer.toString(bytes.length)));
            out.write(bytes);
        };
    }

    /** A complete response with raw bytes. */
    public static Behaviour bytes(int status, byte[] body) {
        return (r, out) -> {
            head(out, status, headers("Content-Length", Integer.toString(body.length)));
            out.write(body);
        };
    }

    /** Accepts, reads the request, and never answers. */
    public static Behaviour silence() {
        return (r, out) -> Thread.sleep(Long.MAX_VALUE);
    }

    /** Headers (with {@code contentLength}), {@code prefix} of the body, then silence. */
    public static Behaviour stallAfterHeaders(int status, long contentLength, byte[] prefix) {
        return (r, out) -> {
            head(
                    out,
                    status,
                    headers(
                            "Content-Type",
                            "application/json",
                            "Content-Length",
                            Long.toString(contentLength)));
            out.write(prefix);
            out.flush();
            Thread.sleep(Long.MAX_VALUE);
        };
    }

    /** Headers, then one byte per {@code millisPerByte}, forever. */
    public static Behaviour trickle(long contentLength, long millisPerByte) {
        return (r, out) -> {
            head(out, 200, headers("Content-Length", Long.toString(contentLength)));
            while (true) {
                out.write('x');
                out.flush();
                Thread.sleep(millisPerByte);
            }
        };
    }

    /**
     * A body that never ends, as fast as the client reads: chunked, or under a huge Content-Length.
     */
    public static Behaviour endless(boolean chunked, long declaredLength) {
        byte[] chunk = new byte[64 * 1024];
        byte[] chunkHead =
                (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return (r, out) -> {
            head(
                    out,
                    200,
                    chunked
                            ? headers("Transfer-Encoding", "chunked")
                            : headers("Content-Length", Long.toString(declaredLength)));
            while (true) {
                if (chunked) out.write(chunkHead);
                out.write(chunk);
                if (chunked) out.write('\r'); // "\r\n" after the chunk
                if (chunked) out.write('\n');
            }
        };
    }

    /** Announces {@code declared} bytes, sends {@code body}, closes. */
    public static Behaviour wrongLength(byte[] body, long declared) {
        return (r, out) -> {
            head(out, 200, headers("Content-Length", Long.toString(declared)));
            out.write(body);
        };
    }

    /** A redirect to {@code location}. */
    public static Behaviour redirect(String location) {
        return (r, out) -> head(out, 302, headers("Location", location, "Content-Length", "0"));
    }
}
