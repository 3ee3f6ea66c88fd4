package scorerci.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scorerci.core.Digests;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.core.SecretRegistry;

/**
 * HTTP with the one retry discipline of this package: 429/500/502/503/504, connection resets,
 * refused connections and timeouts are retried per {@link RetryPolicy}; any other error status
 * fails at once as a {@link RemoteFailure} carrying the service's own message and a hint. Messages
 * never contain a query string or a secret ({@link SecretRegistry#redact}).
 *
 * <p>{@link #close()} when done: a live HttpClient keeps a selector thread in a native epoll wait,
 * and a JDK 17 JVM exits only after waiting up to 300 ms for such threads to block.
 */
public final class HttpTransfer implements AutoCloseable {
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

    /**
     * HttpClient's internal buffer size (documented in the java.net.http module summary; default 16
     * KiB). A 200 MB body then arrives as ~13,000 buffers, each a hand-over between the selector
     * thread and the reader; 256 KiB buffers cut that 16-fold (a 200 MB loopback GET measured 0.25
     * s -> 0.15 s, before hashing). It is read once, when the first HttpClient of the JVM is built,
     * so it is set here (unless the user set it) before ours is; still below G1's humongous-object
     * size at -Xmx64m.
     */
    static final String BUFFER_SIZE_PROPERTY = "jdk.httpclient.bufsize";

    static {
        if (System.getProperty(BUFFER_SIZE_PROPERTY) == null)
            System.setProperty(BUFFER_SIZE_PROPERTY, Integer.toString(256 * 1024));
    }

    /**
     * The client, built on a background thread: building one initialises the default TLS context
     * (JSSE classes, the cacerts trust store), ~0.3 s of a cold JVM. Started in the constructor, it
     * overlaps with the JSON and CLI set-up that comes before the first request.
     */
    private final CompletableFuture<HttpClient> client;

    private final RetryPolicy policy;
    private final Deadlines deadlines;
    private final Log log;
    private volatile long bodyCap = Long.MAX_VALUE;

    public HttpTransfer(RetryPolicy policy, Log log) {
        this(policy, Deadlines.defaults(), log);
    }

    public HttpTransfer(RetryPolicy policy, Deadlines deadlines, Log log) {
        this.policy = policy;
        this.deadlines = deadlines;
        this.log = log;
        Duration connectTimeout = deadlines.connect();
        this.client =
                CompletableFuture.supplyAsync(
                        () ->
                                HttpClient.newBuilder()
                                        .version(HttpClient.Version.HTTP_1_1)
                                        .connectTimeout(connectTimeout)
                                        .followRedirects(HttpClient.Redirect.NEVER)
                                        .build(),
                        task -> {
                            Thread t = new Thread(task, "http-client-init");
                            t.setDaemon(true);
                            t.start();
                        });
    }

    /**
     * Ends the client's selector thread, so the JVM exits at once instead of waiting ~300 ms for a
     * thread in native code (HotSpot's VM_Exit waits up to 30 x 10 ms for them). JDK 21+ HttpClient
     * is AutoCloseable. On JDK 17 the only way is the one the client itself uses: its
     * "HttpClient-&lt;id&gt;-SelectorManager" thread ends when interrupted. If the names ever
     * differ, nothing is interrupted and the exit is just slower.
     */
    @Override
    public void close() {
        HttpClient c = client.getNow(null);
        if (c == null) return;
        if (c instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.detail("closing the HTTP client: " + e.getMessage());
            }
            return;
        }
        Matcher id =
                Pattern.compile("\\((\\d+)\\)$").matcher(c.toString()); // HttpClientImpl@hash(<id>)
        if (!id.find()) return;
        String selector = "HttpClient-" + id.group(1) + "-SelectorManager";
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(selector))
                .forEach(Thread::interrupt);
    }

    private HttpClient client() {
        try {
            return client.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : e; // e.g. no TLS provider: as if built here
        }
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * What callers put in HttpRequest.timeout: the operation deadline, a backstop only; the stall
     * limit is enforced by {@link #exchange} and {@link StallGuard} (a request timeout would also
     * cut a slow but moving upload).
     */
    public Duration timeout() {
        return deadlines.operation();
    }

    public Deadlines deadlines() {
        return deadlines;
    }

    /**
     * Sends (retrying), returns any 1xx-3xx response with its body (at most {@link
     * Deadlines#replyCap()} bytes, read under the stall/rate/deadline guard); 4xx/5xx become
     * RemoteFailure.
     */
    public HttpResponse<byte[]> send(Surface surface, String what, Supplier<HttpRequest> request) {
        return stream(
                surface,
                what,
                request,
                ProgressMeter.silent(),
                deadlines.replyCap(),
                true,
                InputStream::readAllBytes,
                BufferedResponse::new);
    }

    /**
     * Streams a GET body into {@code target} (replacing it), hashing it on the way, with the
     * retries of {@link #stream}.
     */
    public Downloaded download(
            Surface surface,
            String what,
            Supplier<HttpRequest> request,
            Path target,
            ProgressMeter meter) {
        return stream(
                surface, what, request, meter, body -> copyHashing(body, target, Long.MAX_VALUE));
    }

    /**
     * Copies {@code in} to {@code target} (replacing it); returns the size and SHA-256 of the
     * bytes.
     */
    public static Downloaded copyHashing(InputStream in, Path target) throws IOException {
        return copyHashing(in, target, Long.MAX_VALUE);
    }

    /**
     * Copies at most {@code cap} bytes of {@code in} to {@code target}; one byte more is refused
     * (VERIFICATION) before it reaches the disk. Returns the size and SHA-256 of the bytes.
     */
    public static Downloaded copyHashing(InputStream in, Path target, long cap) throws IOException {
        MessageDigest sha = Digests.sha256();
        byte[] buffer = new byte[256 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (n > cap - written) throw tooLarge(cap);
                out.write(buffer, 0, n);
                sha.update(buffer, 0, n);
                written += n;
            }
        }
        return new Downloaded(written, Digests.hex(sha.digest()));
    }

    /** The refusal of a body longer than the download cap (derived from --max-size-mb). */
    public static PipelineException tooLarge(long cap) {
        return PipelineException.verification(
                "the artifact's zipped bytes exceed "
                        + cap
                        + " bytes, more than"
                        + " --max-size-mb allows (plus zip overhead); nothing was written; pass a larger --max-size-mb if it is expected");
    }

    /**
     * The most bytes any one download body may bring (Content-Length or chunked, streamed or
     * spooled): a longer body fails at once, not retried. Set by download-artifact from
     * --max-size-mb; unlimited until set.
     */
    public HttpTransfer capBodies(long maxBytes) {
        this.bodyCap = maxBytes;
        return this;
    }

    /**
     * Hands a GET body to {@code reader}, retrying the WHOLE transfer (a new request, a new call of
     * the reader, which must start from scratch) on a transient status, a connection failure, a
     * stall, a trickle below the minimum rate, or a body shorter than its Content-Length. Such
     * transport failures surface inside the reader as the {@link CheckedBody}'s IOException; the
     * reader passes them on (and nothing else as IOException). The request supplier runs once per
     * attempt, so a short-lived signed URL can be fetched anew. A body over the cap fails at once.
     */
    public <T> T stream(
            Surface surface,
            String what,
            Supplier<HttpRequest> request,
            ProgressMeter meter,
            BodyReader<T> reader) {
        return stream(
                surface, what, request, meter, bodyCap, false, reader, (response, value) -> value);
    }

    private <T, R> R stream(
            Surface surface,
            String what,
            Supplier<HttpRequest> request,
            ProgressMeter meter,
            long cap,
            boolean reply,
            BodyReader<T> reader,
            java.util.function.BiFunction<HttpResponse<InputStream>, T, R> result) {
        long operationStart = System.nanoTime();
        long deadline = operationStart + deadlines.operation().toNanos();
        long budgetStart = operationStart;
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration retryAfter = null;
            int status = 0;
            CheckedBody checked = null;
            Duration stall = attemptStall(budgetStart);
            try {
                HttpResponse<InputStream> response = exchange(request.get(), stall, deadline);
                status = response.statusCode();
                long expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (status >= 300 && !(reply && status < 400)) {
                    String message;
                    try (InputStream body = response.body();
                            StallGuard guard =
                                    new StallGuard(
                                            body, stall, deadlines.minBytesPerSecond(), deadline)) {
                        CheckedBody errorBody =
                                new CheckedBody(
                                        body,
                                        -1,
                                        guard,
                                        ProgressMeter.silent(),
                                        Long.MAX_VALUE,
                                        null);
                        message =
                                serviceMessage(
                                        errorBody.readNBytes(
                                                ERROR_BODY_CAP)); // the rest is never read
                    }
                    if (status < 400 || !RETRYABLE.contains(status) || quota(message))
                        throw failure(surface, what, status, message);
                    failure = "HTTP " + status + (message.isEmpty() ? "" : " (" + message + ")");
                    retryAfter = retryAfter(response.headers());
                } else {
                    if (expected > cap) {
                        response.body().close();
                        throw reply ? replyTooLarge(what, expected) : tooLarge(cap);
                    }
                    try (InputStream body = response.body();
                            StallGuard guard =
                                    new StallGuard(
                                            body, stall, deadlines.minBytesPerSecond(), deadline)) {
                        checked =
                                new CheckedBody(
                                        body,
                                        expected,
                                        guard,
                                        meter,
                                        cap,
                                        () -> reply ? replyTooLarge(what, cap + 1) : tooLarge(cap));
                        return result.apply(response, reader.read(checked));
                    }
                }
            } catch (IOException e) {
                failure = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PipelineException.aborted(what + " was interrupted");
            }
            if (checked != null) {
                meter.add(-checked.count);
                if (checked.count > 0)
                    budgetStart = System.nanoTime(); // it was moving: a fresh retry budget
            }
            pause(what, attempt, budgetStart, deadline, failure, retryAfter, status);
        }
    }

    /** Error bodies are read for their message only. */
    private static final int ERROR_BODY_CAP = 64 * 1024;

    private RemoteFailure replyTooLarge(String what, long size) {
        return new RemoteFailure(
                ExitCode.REMOTE,
                0,
                what
                        + " failed: the reply is "
                        + size
                        + " bytes or more, over the "
                        + deadlines.replyCap()
                        + "-byte limit for service replies; the service answered unexpectedly"
                        + " (raise SCORER_NET_REPLY_MAX_BYTES if it is expected)");
    }

    /**
     * The stall limit of the next attempt: the policy's, cut to what is left of the retry budget.
     */
    private Duration attemptStall(long budgetStart) {
        long left = policy.budget().toNanos() - (System.nanoTime() - budgetStart);
        long stall = Math.min(policy.timeout().toNanos(), Math.max(left, 100_000_000L));
        return Duration.ofNanos(stall);
    }

    /**
     * One request, with the stall limit enforced on the way to the response headers too: the
     * request body's bytes (counted as the client takes them) and then the wait for headers must
     * never go {@code stall} without progress. HttpClient's own per-request timeout only backs this
     * up at the operation deadline (it would also count a slow but moving upload).
     */
    private HttpResponse<InputStream> exchange(HttpRequest request, Duration stall, long deadline)
            throws IOException, InterruptedException {
        Progress progress = new Progress();
        HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
        request.bodyPublisher()
                .ifPresent(p -> copy.method(request.method(), new CountingPublisher(p, progress)));
        long left = Math.max(deadline - System.nanoTime(), 1_000_000L);
        copy.timeout(Duration.ofNanos(left));
        CompletableFuture<HttpResponse<InputStream>> pending =
                client().sendAsync(copy.build(), HttpResponse.BodyHandlers.ofInputStream());
        long period = Math.max(10, Math.min(500, stall.toMillis() / 4));
        while (true) {
            try {
                return pending.get(period, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                if (now - progress.last > stall.toNanos()) {
                    pending.cancel(true);
                    throw new HttpTimeoutException(
                            String.format(
                                    java.util.Locale.ROOT,
                                    "no response for %.1f s",
                                    stall.toMillis() / 1000.0));
                }
                if (now - deadline > 0) {
                    pending.cancel(true);
                    throw new HttpTimeoutException(
                            "the operation's deadline passed before the response came");
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) throw io;
                if (cause instanceof RuntimeException r) throw r;
                throw new IOException(cause);
            } catch (InterruptedException e) {
                pending.cancel(true);
                throw e;
            }
        }
    }

    /** Time of the last request-body byte handed to the client (or of the request's start). */
    private static final class Progress {
        volatile long last = System.nanoTime();
    }

    /**
     * A request body that records, for {@link #exchange}, when the client last took bytes from it.
     */
    private static final class CountingPublisher implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher delegate;
        private final Progress progress;

        CountingPublisher(HttpRequest.BodyPublisher delegate, Progress progress) {
            this.delegate = delegate;
            this.progress = progress;
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            delegate.subscribe(
                    new Flow.Subscriber<ByteBuffer>() {
                        @Override
                        public void onSubscribe(Flow.Subscription subscription) {
                            subscriber.onSubscribe(subscription);
                        }

                        @Override
                        public void onNext(ByteBuffer item) {
                            progress.last = System.nanoTime();
                            subscriber.onNext(item);
                        }

                        @Override
                        public void onError(Throwable throwable) {
                            subscriber.onError(throwable);
                        }

                        @Override
                        public void onComplete() {
                            progress.last = System.nanoTime();
                            subscriber.onComplete();
                        }
                    });
        }
    }

    /** Consumes one attempt's response body; see {@link #stream}. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    /**
     * A response body that reports progress, turns a stall, a trickle or a passed deadline into a
     * timeout and a short body into an error, so a reader cannot mistake a cut transfer for the end
     * of the artifact, and refuses to deliver more than {@code cap} bytes.
     */
    static final class CheckedBody extends InputStream {
        private final InputStream in;
        private final long expected;
        private final StallGuard guard;
        private final ProgressMeter meter;
        private final long cap;
        private final Supplier<? extends Exception> overCap;
        long count;

        CheckedBody(
                InputStream in,
                long expected,
                StallGuard guard,
                ProgressMeter meter,
                long cap,
                Supplier<? extends Exception> overCap) {
            this.in = in;
            this.expected = expected;
            this.guard = guard;
            this.meter = meter;
            this.cap = cap;
            this.overCap = overCap;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                if (guard.stalled()) throw new HttpTimeoutException(guard.failure());
                throw e;
            }
            if (n < 0) {
                if (guard.stalled()) throw new HttpTimeoutException(guard.failure());
                if (expected >= 0 && count != expected) {
                    throw new IOException(
                            "truncated body: got " + count + " of " + expected + " bytes");
                }
                return n;
            }
            if (n > cap - count) {
                Exception e = overCap.get();
                if (e instanceof IOException io) throw io;
                throw (RuntimeException) e;
            }
            guard.progress(n);
            count += n;
            meter.add(n);
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A streamed response read into memory, for {@link #send}'s callers. */
    private record BufferedResponse(HttpResponse<InputStream> response, byte[] body)
            implements HttpResponse<byte[]> {
        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpRequest request() {
            return response.request();
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return response.headers();
        }

        @Override
        public Optional<javax.net.ssl.SSLSession> sslSession() {
            return response.sslSession();
        }

        @Override
        public URI uri() {
            return response.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
        }
    }

    /** Runs a call of another HTTP library (github-api) with the same retry rules. */
    public <T> T call(Surface surface, String what, IoCall<T> call) {
        long started = System.nanoTime();
        long deadline = started + deadlines.operation().toNanos();
        for (int attempt = 1; ; attempt++) {
            String failure;
            int status = 0;
            try {
                return bounded(what, call, started, deadline);
            } catch (org.kohsuke.github.GHFileNotFoundException e) {
                throw failure(
                        surface,
                        what,
                        404,
                        serviceMessage(
                                e.getMessage() == null
                                        ? new byte[0]
                                        : e.getMessage().getBytes(StandardCharsets.UTF_8)));
            } catch (org.kohsuke.github.HttpException e) {
                status = e.getResponseCode();
                String message =
                        serviceMessage(
                                e.getMessage() == null
                                        ? new byte[0]
                                        : e.getMessage().getBytes(StandardCharsets.UTF_8));
                if (status > 0 && !RETRYABLE.contains(status))
                    throw failure(surface, what, status, message);
                failure = status > 0 ? "HTTP " + status + " (" + message + ")" : describe(e);
            } catch (IOException e) {
                failure = describe(e);
            }
            pause(what, attempt, started, deadline, failure, null, status);
        }
    }

    private static final java.util.concurrent.ExecutorService CALLS =
            java.util.concurrent.Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "bounded-http-call");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * Runs a call of another library (whose own timeouts we do not control) on a daemon thread,
     * waiting at most what is left of the retry budget: a stalled peer costs a thread, never the
     * run.
     */
    private <T> T bounded(String what, IoCall<T> call, long budgetStart, long deadline)
            throws IOException {
        long left =
                Math.min(
                        policy.budget().toNanos() - (System.nanoTime() - budgetStart),
                        deadline - System.nanoTime());
        long wait = Math.max(left, policy.timeout().toNanos());
        java.util.concurrent.Future<T> future = CALLS.submit(call::run);
        try {
            return future.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException(
                    "no answer within " + TimeUnit.NANOSECONDS.toSeconds(wait) + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw PipelineException.aborted(what + " was interrupted");
        }
    }

    @FunctionalInterface
    public interface IoCall<T> {
        T run() throws IOException;
    }

    public record Downloaded(long size, String sha256Hex) {}

    private void pause(
            String what,
            int attempt,
            long startedNanos,
            long deadline,
            String failure,
            Duration retryAfter,
            int status) {
        failure = SecretRegistry.redact(failure);
        if (attempt >= policy.maxAttempts()) {
            throw new RemoteFailure(
                    ExitCode.REMOTE,
                    status,
                    what
                            + " failed after "
                            + attempt
                            + " attempts: "
                            + failure
                            + "; the service is unavailable or the network is failing, rerun later");
        }
        Duration delay = policy.delay(attempt, retryAfter);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        if (elapsed.plus(delay).compareTo(policy.budget()) > 0
                || System.nanoTime() + delay.toNanos() - deadline > 0) {
            throw new RemoteFailure(
                    ExitCode.REMOTE,
                    status,
                    what
                            + " failed: "
                            + failure
                            + "; gave up after "
                            + attempt
                            + " attempts in "
                            + elapsed.toSeconds()
                            + " s (retry budget "
                            + policy.budget().toSeconds()
                            + " s), rerun later");
        }
        log.progress(
                what
                        + ": "
                        + failure
                        + "; retry "
                        + (attempt + 1)
                        + "/"
                        + policy.maxAttempts()
                        + " in "
                        + delay.toMillis()
                        + " ms");
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PipelineException.aborted(what + " was interrupted");
        }
    }

    private RemoteFailure failure(Surface surface, String what, int status, String message) {
        String said = message.isEmpty() ? "" : ": " + message;
        String text;
        ExitCode code = ExitCode.REMOTE;
        if (quota(message)) {
            text =
                    "the artifact storage quota is exhausted; delete old artifacts or shorten retention-days, then rerun";
        } else if (status == 401) {
            text = surface.hint401;
        } else if (status == 403) {
            text = surface.hint403;
        } else if (status == 404) {
            code = ExitCode.NOT_FOUND;
            text = "check the name, run id and repository";
        } else if (status == 409) {
            code = ExitCode.CONFLICT;
            text =
                    "an artifact with this name already exists; use another --tag/--name or --if-exists overwrite";
        } else if (status >= 300 && status < 400) {
            text = "an unexpected redirect; check GITHUB_API_URL / ACTIONS_RESULTS_URL";
        } else {
            text = "the request was rejected; rerun with --verbose for details";
        }
        return new RemoteFailure(
                code,
                status,
                SecretRegistry.redact(
                        what
                                + " failed at "
                                + surface.label
                                + ": HTTP "
                                + status
                                + said
                                + "; "
                                + text));
    }

    /**
     * The Results service's "storage quota exhausted" (the official client's UsageError): never
     * worth retrying.
     */
    private static boolean quota(String message) {
        return message.toLowerCase(java.util.Locale.ROOT).contains("insufficient usage");
    }

    /**
     * The human part of an error body: twirp {code,msg}, REST {message}, Azure XML &lt;Message&gt;,
     * else the text.
     */
    static String serviceMessage(byte[] body) {
        if (body == null || body.length == 0) return "";
        String text =
                new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8).trim();
        if (text.startsWith("{")) {
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                String msg = node.path("msg").asText(node.path("message").asText(""));
                String code = node.path("code").asText("");
                if (!msg.isEmpty()) return oneLine(code.isEmpty() ? msg : code + ": " + msg);
            } catch (IOException ignored) {
                // not JSON after all: fall through to the raw text
            }
        }
        Matcher xml = Pattern.compile("<Message>(.*?)</Message>", Pattern.DOTALL).matcher(text);
        if (xml.find()) return oneLine(xml.group(1));
        return oneLine(text);
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").orElse(null);
        if (value == null) return null;
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at =
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static String describe(IOException e) {
        String kind =
                e instanceof HttpTimeoutException
                        ? "timed out"
                        : e instanceof ConnectException
                                ? "connection refused"
                                : "connection failed";
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return kind + " (" + message + ")";
    }

    /** Loaded only when an error body is parsed: Jackson's set-up is not free on a cold JVM. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
