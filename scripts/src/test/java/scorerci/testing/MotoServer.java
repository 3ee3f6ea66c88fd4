package scorerci.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import scorerci.lambda.LambdaClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * moto's server (PyPI {@code moto[server]}, the real AWS API emulator) on 127.0.0.1 and a free
 * port, for the tests of scorerci.lambda. Installed on first use into the gitignored {@code
 * .tools/moto-venv} (python3 -m venv + pip; .ci/run may do the same beforehand) and marked complete
 * only after pip succeeded, so an interrupted install is redone, not half-used.
 *
 * <p>Lambda runs in moto's "simple" mode ({@code lambda.use_docker=false}): no Docker here, and
 * Invoke answers from a queue of results the test sets ({@link #queueInvokeResults}), else echoes
 * the event. Everything else (functions, versions, aliases, routing, layers, IAM) is moto's own.
 */
public final class MotoServer implements AutoCloseable {
    public static final String MOTO_VERSION = "5.2.1";
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-west-2";

    /** moto accepts any credentials; these only make the SDK sign its requests. */
    public static final String ACCESS_KEY = "AKIAMOTOTESTKEY00000";

    public static final String SECRET_KEY = "moto-test-secret";

    private static final Path VENV = Path.of(".tools", "moto-venv").toAbsolutePath();
    private static final Path MARKER = VENV.resolve(".installed-moto-" + MOTO_VERSION);

    private final Process process;
    private final int port;
    private final Path logFile;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Installs moto if needed, starts it and waits until it answers. */
    public static MotoServer start() throws Exception {
        Path executable = ensureInstalled();
        int port = freePort();
        Path log = Files.createTempFile("moto-server-", ".log");
        Process process =
                new ProcessBuilder(
                                executable.toString(),
                                "-H",
                                "127.0.0.1",
                                "-p",
                                String.valueOf(port))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        MotoServer server = new MotoServer(process, port, log);
        try {
            server.awaitReady(Duration.ofSeconds(60));
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Switches Lambda to moto's docker-free backend. Call it after publishing layers: moto 5.2
     * resolves a function's layers in its default backend, whatever the switch says.
     */
    public void useSimpleLambda() throws Exception {
        post("/moto-api/config", "{\"lambda\": {\"use_docker\": false}}");
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Client settings pointing at this server with dummy credentials. */
    public LambdaClients.Settings settings() {
        return new LambdaClients.Settings(
                Region.of(REGION),
                endpoint(),
                StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    /** The next Invoke calls (in this account and region) return these payloads, in order. */
    public void queueInvokeResults(List<String> payloads) throws Exception {
        StringBuilder json =
                new StringBuilder(
                        "{\"account_id\":\""
                                + ACCOUNT
                                + "\",\"region\":\""
                                + REGION
                                + "\",\"results\":[");
        for (int i = 0; i < payloads.size(); i++) {
            if (i > 0) json.append(',');
            json.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(payloads.get(i)));
        }
        post("/moto-api/static/lambda-simple/response", json.append("]}").toString());
    }

    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(no moto log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException ignored) {
            // a temp file; the OS cleans it eventually
        }
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(endpoint().resolve(path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "moto " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "moto_server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(endpoint().resolve("/moto-api/config"))
                                        .timeout(Duration.ofSeconds(2))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 201) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "moto_server did not answer on port "
                        + port
                        + " within "
                        + timeout.toSeconds()
                        + " s:\n"
                        + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** .tools/moto-venv with moto[server]==MOTO_VERSION, installed once (under a file lock). */
    static synchronized Path ensureInstalled() throws Exception {
        Path executable = VENV.resolve("bin").resolve("moto_server");
        if (Files.exists(MARKER) && Files.isExecutable(executable)) return executable;
        Files.createDirectories(VENV.getParent());
        try (FileChannel lock =
                        FileChannel.open(
                                VENV.resolveSibling("moto-venv.lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                var ignored = lock.lock()) {
            if (Files.exists(MARKER) && Files.isExecutable(executable)) return executable;
            if (Files.exists(VENV)) deleteTree(VENV);
            run(List.of("python3", "-m", "venv", VENV.toString()));
            run(
                    List.of(
                            VENV.resolve("bin").resolve("pip").toString(),
                            "install",
                            "--quiet",
                            "--disable-pip-version-check",
                            "moto[server]==" + MOTO_VERSION));
            Files.writeString(MARKER, "moto[server]==" + MOTO_VERSION + "\n");
        }
        return executable;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    "installing moto failed: " + String.join(" ", command) + "\n" + output);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
