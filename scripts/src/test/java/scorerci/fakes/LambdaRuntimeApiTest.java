package scorerci.fakes;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake's own protocol, driven the way a runtime drives the real Runtime API. */
class LambdaRuntimeApiTest {
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private LambdaRuntimeApi api;

    @BeforeEach
    void start() {
        api =
                LambdaRuntimeApi.start(
                        "arn:aws:lambda:us-west-2:1:function:f", Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://" + api.address() + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://" + api.address() + path))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nextBlocksUntilAnEventAndCarriesTheLambdaHeaders() throws Exception {
        CompletableFuture<HttpResponse<String>> next =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return get("/2018-06-01/runtime/invocation/next");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        Thread.sleep(300);
        assertThat(next).as("blocks while no event is queued").isNotDone();

        long before = System.currentTimeMillis();
        CompletableFuture<LambdaRuntimeApi.Invocation> result = api.invoke("{\"hello\": 1}");
        HttpResponse<String> event = next.get(10, SECONDS);
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(event.body()).isEqualTo("{\"hello\": 1}");
        String requestId =
                event.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
        long deadline =
                Long.parseLong(
                        event.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
        assertThat(deadline).isBetween(before + 29_000, System.currentTimeMillis() + 30_000);
        assertThat(event.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn"))
                .hasValue("arn:aws:lambda:us-west-2:1:function:f");
        assertThat(event.headers().firstValue("Lambda-Runtime-Trace-Id").orElseThrow())
                .matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1");
        assertThat(result).isNotDone();

        HttpResponse<String> posted =
                post("/2018-06-01/runtime/invocation/" + requestId + "/response", "{\"ok\":true}");
        assertThat(posted.statusCode()).isEqualTo(202);
        LambdaRuntimeApi.Invocation done = result.get(5, SECONDS);
        assertThat(done.requestId()).isEqualTo(requestId);
        assertThat(done.error()).isFalse();
        assertThat(done.responseBody()).isEqualTo("{\"ok\":true}");
        assertThat(api.polls()).isEqualTo(1);
    }

    @Test
    void errorsCarryTheirTypeAndUnknownOrRepeatedAnswersAreRefused() throws Exception {
        CompletableFuture<LambdaRuntimeApi.Invocation> result = api.invoke("{}");
        String id =
                get("/2018-06-01/runtime/invocation/next")
                        .headers()
                        .firstValue("Lambda-Runtime-Aws-Request-Id")
                        .orElseThrow();

        assertThat(post("/2018-06-01/runtime/invocation/not-a-request/response", "{}").statusCode())
                .isEqualTo(400);
        assertThat(
                        post(
                                        "/2018-06-01/runtime/invocation/" + id + "/error",
                                        "{\"errorMessage\":\"boom\",\"errorType\":\"Handler.Failed\"}",
                                        "Lambda-Runtime-Function-Error-Type",
                                        "Handler.Failed")
                                .statusCode())
                .isEqualTo(202);
        HttpResponse<String> again =
                post("/2018-06-01/runtime/invocation/" + id + "/response", "{}");
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.body()).contains("InvalidStateTransition");

        LambdaRuntimeApi.Invocation failed = result.get(5, SECONDS);
        assertThat(failed.error()).isTrue();
        assertThat(failed.errorType()).isEqualTo("Handler.Failed");
        assertThatThrownBy(failed::responseBody).hasMessageContaining("boom");
        assertThat(api.protocolErrors()).hasSize(2);
    }

    @Test
    void oversizedResponsesAre413AndFailTheInvocation() throws Exception {
        CompletableFuture<LambdaRuntimeApi.Invocation> result = api.invoke("{}");
        String id =
                get("/2018-06-01/runtime/invocation/next")
                        .headers()
                        .firstValue("Lambda-Runtime-Aws-Request-Id")
                        .orElseThrow();
        String big = "x".repeat(LambdaRuntimeApi.MAX_RESPONSE_BYTES + 1);
        assertThat(post("/2018-06-01/runtime/invocation/" + id + "/response", big).statusCode())
                .isEqualTo(413);
        assertThat(result.get(5, SECONDS).errorType()).isEqualTo("Function.ResponseSizeTooLarge");
    }

    @Test
    void anInitErrorFailsQueuedInvocations() throws Exception {
        CompletableFuture<LambdaRuntimeApi.Invocation> queued = api.invoke("{}");
        assertThat(
                        post(
                                        "/2018-06-01/runtime/init/error",
                                        "{\"errorMessage\":\"no weights\",\"errorType\":\"Init\"}",
                                        "Lambda-Runtime-Function-Error-Type",
                                        "Init")
                                .statusCode())
                .isEqualTo(202);
        assertThat(api.initError().get(5, SECONDS)).contains("no weights");
        assertThatThrownBy(() -> queued.get(5, SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("init error");
    }

    @Test
    void wrongMethodsAndPathsAreRefused() throws Exception {
        assertThat(post("/2018-06-01/runtime/invocation/next", "").statusCode()).isEqualTo(405);
        assertThat(get("/2018-06-01/runtime/init/error").statusCode()).isEqualTo(405);
        assertThat(get("/2018-06-01/runtime/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void closeFailsUnansweredInvocations() {
        CompletableFuture<LambdaRuntimeApi.Invocation> pending = api.invoke("{}");
        api.close();
        assertThatThrownBy(() -> pending.get(5, SECONDS)).hasMessageContaining("closed");
    }
}
