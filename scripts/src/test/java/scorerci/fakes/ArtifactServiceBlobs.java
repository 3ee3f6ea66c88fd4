package scorerci.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Azure block-blob part of the fake: its own loopback port (blob storage is another host).
 *
 * <p>SAS URLs carry {@code sig} values that contain '+', '/' and a trailing '=', issued
 * percent-encoded; a client that re-encodes or trims them is refused (403 AuthenticationFailed), as
 * is any request carrying an Authorization header. Put Block stores the body under its id (all ids
 * of one blob must decode to the same length); Put Block List commits the named blocks in LIST
 * order, not arrival order; GET streams the committed blob with its Content-Type.
 */
public final class ArtifactServiceBlobs {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ArtifactService service;
    private final HttpServer server;
    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();

    static final class Blob {
        final String writeSig = sig();
        final String readSig = sig();
        final Map<String, Path> uncommitted = new HashMap<>();
        volatile List<Path> committed;
        volatile String contentType = "application/octet-stream";
        Integer idLength;
    }

    ArtifactServiceBlobs(ArtifactService service, ExecutorService executor) throws IOException {
        this.service = service;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", service.tracked(this::handle));
        server.start();
    }

    String signedUrl(String key, boolean write) {
        Blob blob = blobs.computeIfAbsent(key, k -> new Blob());
        String sig = write ? blob.writeSig : blob.readSig;
        return "http://127.0.0.1:"
                + server.getAddress().getPort()
                + "/actions-results/"
                + key
                + "/artifact.zip"
                + "?sv=2026-04-06&sr=b&sp="
                + (write ? "cw" : "r")
                + "&se=2099-01-01T00%3A00%3A00Z&sig="
                + URLEncoder.encode(sig, StandardCharsets.UTF_8);
    }

    /** A signature that needs percent-encoding: has '+', '/', and ends in '='. */
    private static String sig() {
        while (true) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String s = Base64.getEncoder().encodeToString(raw);
            if (s.contains("+") && s.contains("/") && s.endsWith("=")) return s;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        Matcher m = Pattern.compile("/actions-results/([^/]+)/artifact\\.zip").matcher(path);
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String comp = query.get("comp");
        String operation =
                "GET".equals(ex.getRequestMethod())
                        ? "blob:get"
                        : "blob:" + (comp == null ? "put" : comp);
        int status = -1;
        try {
            Blob blob = m.matches() ? blobs.get(m.group(1)) : null;
            if (ex.getRequestHeaders().containsKey("Authorization")) {
                drain(ex);
                status =
                        error(
                                ex,
                                403,
                                "AuthenticationFailed",
                                "Server failed to authenticate the request. Authorization header"
                                        + " is not allowed with a SAS");
                return;
            }
            boolean read =
                    "GET".equals(ex.getRequestMethod()) || "HEAD".equals(ex.getRequestMethod());
            if (blob == null || !(read ? blob.readSig : blob.writeSig).equals(query.get("sig"))) {
                drain(ex);
                status =
                        error(
                                ex,
                                403,
                                "AuthenticationFailed",
                                "Signature did not match. String to sign used was r");
                return;
            }
            ArtifactServiceFaults.Fault fault = service.faults.next(operation);
            if (fault != null && fault.kind() == ArtifactServiceFaults.Kind.STATUS) {
                drain(ex);
                if (fault.retryAfter() != null)
                    ex.getResponseHeaders().add("Retry-After", fault.retryAfter());
                status = error(ex, fault.status(), "ServerBusy", "The server is busy (injected)");
                return;
            }
            if (fault != null && fault.kind() == ArtifactServiceFaults.Kind.DROP_CONNECTION) {
                long length = Long.parseLong(ex.getRequestHeaders().getFirst("Content-Length"));
                ex.getRequestBody().readNBytes((int) Math.min(length / 2, Integer.MAX_VALUE));
                throw new IOException("fault: connection dropped mid-request");
            }
            if (read) {
                status = get(ex, blob, fault);
            } else if ("PUT".equals(ex.getRequestMethod()) && "block".equals(comp)) {
                status = putBlock(ex, blob, query.get("blockid"));
            } else if ("PUT".equals(ex.getRequestMethod()) && "blocklist".equals(comp)) {
                status = putBlockList(ex, blob);
            } else {
                drain(ex);
                status =
                        error(
                                ex,
                                400,
                                "UnsupportedQueryParameter",
                                "only Put Block, Put Block List and Get Blob exist here");
            }
        } finally {
            service.record("blob", ex, "", status);
        }
    }

    private int putBlock(HttpExchange ex, Blob blob, String blockId) throws IOException {
        byte[] id;
        try {
            id = blockId == null ? null : Base64.getDecoder().decode(blockId);
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (id == null || id.length == 0 || id.length > 64) {
            drain(ex);
            return error(
                    ex,
                    400,
                    "InvalidQueryParameterValue",
                    "blockid must be base64 of at most 64 bytes");
        }
        synchronized (blob) {
            if (blob.idLength != null && blob.idLength != id.length) {
                drain(ex);
                return error(
                        ex,
                        400,
                        "InvalidBlobOrBlock",
                        "The specified blob or block content is invalid (block ids differ in length)");
            }
            blob.idLength = id.length;
        }
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared == null)
            return error(ex, 411, "MissingContentLengthHeader", "Content-Length is required");
        Path file = Files.createTempFile(service.storage, "block-", ".bin");
        long n;
        try (InputStream in = ex.getRequestBody();
                OutputStream out = Files.newOutputStream(file)) {
            n = in.transferTo(out);
        }
        if (n != Long.parseLong(declared)) {
            Files.deleteIfExists(file);
            return error(ex, 400, "InvalidBlobOrBlock", "body shorter than Content-Length");
        }
        synchronized (blob) {
            Path old = blob.uncommitted.put(blockId, file);
            if (old != null) Files.deleteIfExists(old);
        }
        return ArtifactService.respond(ex, 201, null, "");
    }

    private int putBlockList(HttpExchange ex, Blob blob) throws IOException {
        String xml = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!xml.contains("<BlockList>"))
            return error(ex, 400, "InvalidXmlDocument", "expected <BlockList>");
        Matcher m = Pattern.compile("<(Latest|Uncommitted|Committed)>([^<]*)</\\1>").matcher(xml);
        List<Path> parts = new ArrayList<>();
        synchronized (blob) {
            while (m.find()) {
                Path p = blob.uncommitted.get(m.group(2));
                if (p == null)
                    return error(
                            ex,
                            400,
                            "InvalidBlockList",
                            "The specified block list is invalid (unknown block "
                                    + m.group(2)
                                    + ")");
                parts.add(p);
            }
            blob.committed = parts;
            String type = ex.getRequestHeaders().getFirst("x-ms-blob-content-type");
            blob.contentType = type == null ? "application/octet-stream" : type;
        }
        return ArtifactService.respond(ex, 201, null, "");
    }

    private int get(HttpExchange ex, Blob blob, ArtifactServiceFaults.Fault fault)
            throws IOException {
        drain(ex);
        List<Path> parts = blob.committed;
        if (parts == null)
            return error(ex, 404, "BlobNotFound", "The specified blob does not exist.");
        long size = 0;
        for (Path p : parts) size += Files.size(p);
        ex.getResponseHeaders().set("Content-Type", blob.contentType);
        ex.getResponseHeaders().set("x-ms-blob-type", "BlockBlob");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(200, -1);
            ex.close();
            return 200;
        }
        ex.sendResponseHeaders(200, size);
        long limit =
                fault != null && fault.kind() == ArtifactServiceFaults.Kind.TRUNCATE
                        ? size / 2
                        : Long.MAX_VALUE;
        boolean corrupt = fault != null && fault.kind() == ArtifactServiceFaults.Kind.CORRUPT;
        OutputStream out = ex.getResponseBody();
        long sent = 0;
        byte[] buffer = new byte[1 << 16];
        for (Path p : parts) {
            try (InputStream in = Files.newInputStream(p)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (corrupt && sent == 0) buffer[Math.min(n - 1, 40)] ^= 0x01;
                    if (sent + n > limit) {
                        out.write(buffer, 0, (int) (limit - sent));
                        out.flush();
                        throw new IOException("fault: download truncated");
                    }
                    out.write(buffer, 0, n);
                    sent += n;
                }
            }
        }
        out.close();
        return 200;
    }

    long committedSize(String key) {
        Blob blob = blobs.get(key);
        if (blob == null || blob.committed == null) return -1;
        long size = 0;
        try {
            for (Path p : blob.committed) size += Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return size;
    }

    String committedSha256(String key) {
        MessageDigest sha = digest();
        byte[] buffer = new byte[1 << 16];
        try {
            for (Path p : blobs.get(key).committed) {
                try (InputStream in = Files.newInputStream(p)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) sha.update(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    byte[] committedBytes(String key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Path p : blobs.get(key).committed) out.write(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    void commitDirect(String key, byte[] content, String contentType) {
        Blob blob = blobs.computeIfAbsent(key, k -> new Blob());
        try {
            Path file = Files.createTempFile(service.storage, "blob-", ".bin");
            Files.write(file, content);
            blob.committed = List.of(file);
            blob.contentType = contentType;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete(String key) {
        Blob blob = blobs.remove(key);
        if (blob == null) return;
        List<Path> all = new ArrayList<>(blob.uncommitted.values());
        if (blob.committed != null) all.addAll(blob.committed);
        for (Path p : all) p.toFile().delete();
    }

    void stop() {
        server.stop(0);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int error(HttpExchange ex, int status, String code, String message)
            throws IOException {
        ex.getResponseHeaders().set("x-ms-error-code", code);
        return ArtifactService.respond(
                ex,
                status,
                "application/xml",
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>"
                        + code
                        + "</Code><Message>"
                        + message
                        + "</Message></Error>");
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * Decodes each value once, as Azure does; "+" in a raw value would be a space, so it must
     * arrive as %2B.
     */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) q.put(URLDecoder.decode(pair, StandardCharsets.UTF_8), "");
            else
                q.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }
}
