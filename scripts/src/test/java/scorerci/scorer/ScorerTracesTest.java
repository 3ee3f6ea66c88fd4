package scorerci.scorer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.fakes.AlbEvents;
import scorerci.fakes.LambdaRuntimeApi;
import scorerci.fakes.OtlpReceiver;
import scorerci.testing.BoundedProcess;

/**
 * Traces (issue 6): with {@code OTEL_ENABLED=true} the scorer sends one span per request over
 * OTLP/HTTP (protobuf) to the collector's receiver, before it answers the invocation; without it
 * nothing is sent and the process stays single-threaded. The collector is {@link OtlpReceiver}, a
 * fake (the ADOT layer cannot run here); the scorer and the Runtime API protocol are real.
 */
@Tag("slow") // builds the scorer for the host (cargo build) before it runs: not in
// scripts/run-tests.sh --fast
class ScorerTracesTest {
    private static final String ADDRESS = "0x00000000000000000000000000000000000000ff";
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @Test
    void exportsOneSpanPerRequestBeforeAnsweringTheInvocation(@TempDir Path dir) throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                LambdaRuntimeApi api = LambdaRuntimeApi.start();
                BoundedProcess scorer =
                        HostScorer.start(
                                api,
                                Map.of(
                                        "OTEL_ENABLED", "true",
                                        "OTEL_SERVICE_NAME", "rust-scorer-under-test",
                                        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint()),
                                dir.resolve("scorer.log"),
                                LIMIT)) {

            LambdaRuntimeApi.Invocation health = api.invoke(AlbEvents.health()).get(30, SECONDS);
            assertThat(AlbEvents.response(health).statusCode()).isEqualTo(200);
            // Already there when the invocation completes: exported before the response was posted.
            List<OtlpReceiver.Span> spans = collector.drain();
            assertThat(spans).as(scorer.describe()).hasSize(1);
            OtlpReceiver.Span span = spans.get(0);
            assertThat(span.resource()).containsEntry("service.name", "rust-scorer-under-test");
            assertThat(span.name()).isEqualTo("GET /health");
            assertThat(span.kind()).isEqualTo(OtlpReceiver.Span.KIND_SERVER);
            assertThat(span.attributes())
                    .containsEntry("http.route", "/health")
                    .containsEntry("http.request.method", "GET")
                    .containsEntry("http.response.status_code", 200L)
                    .containsEntry("faas.invocation_id", health.requestId());
            assertThat(span.endNanos()).isGreaterThanOrEqualTo(span.startNanos());
            assertThat(span.startNanos()).isGreaterThan(0);
            // Joined to the Lambda (X-Ray) trace from Lambda-Runtime-Trace-Id:
            // Root=1-<8>-<24>;Parent=<16>
            String root =
                    health.traceId()
                            .replaceAll(
                                    "^Root=1-([0-9a-f]{8})-([0-9a-f]{24});Parent=([0-9a-f]{16}).*$",
                                    "$1$2");
            String parent = health.traceId().replaceAll("^.*;Parent=([0-9a-f]{16}).*$", "$1");
            assertThat(span.traceId()).isEqualTo(root);
            assertThat(span.parentSpanId()).isEqualTo(parent);

            String stamps =
                    "[{\"provider\": \"Google\", \"nullifiers\": [\"n\"], \"expiration_date\": \"2099-01-01T00:00:00Z\"}]";
            assertThat(
                            AlbEvents.response(
                                            api.invoke(AlbEvents.score("1", ADDRESS, stamps))
                                                    .get(30, SECONDS))
                                    .statusCode())
                    .isEqualTo(200);
            assertThat(
                            AlbEvents.response(
                                            api.invoke(
                                                            AlbEvents.score(
                                                                    "1", "0xnot-an-address", "[]"))
                                                    .get(30, SECONDS))
                                    .statusCode())
                    .isEqualTo(400);
            List<OtlpReceiver.Span> scoring = collector.drain();
            assertThat(scoring).hasSize(2);
            assertThat(scoring)
                    .allSatisfy(
                            s -> {
                                assertThat(s.name())
                                        .isEqualTo("POST /v2/stamps/{scorer_id}/score/{address}");
                                assertThat(s.attributes())
                                        .containsEntry(
                                                "http.route",
                                                "/v2/stamps/{scorer_id}/score/{address}");
                            });
            assertThat(scoring.get(0).attributes())
                    .containsEntry("http.response.status_code", 200L);
            assertThat(scoring.get(1).attributes())
                    .containsEntry("http.response.status_code", 400L);
            assertThat(collector.rejected()).isEmpty();
            assertThat(scorer.programThreads())
                    .as("exporting uses the runtime's own thread")
                    .isEqualTo(1);
        }
    }

    @Test
    void withoutOtelEnabledNothingIsSentAndNoThreadStarts(@TempDir Path dir) throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                LambdaRuntimeApi api = LambdaRuntimeApi.start();
                BoundedProcess scorer =
                        HostScorer.start(
                                api,
                                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint()),
                                dir.resolve("scorer.log"),
                                LIMIT)) {
            assertThat(
                            AlbEvents.response(api.invoke(AlbEvents.health()).get(30, SECONDS))
                                    .statusCode())
                    .isEqualTo(200);
            assertThat(collector.next(Duration.ofMillis(500))).isNull();
            assertThat(scorer.programThreads()).as(scorer.describe()).isEqualTo(1);
            assertThat(scorer.output()).doesNotContain("exporting traces");
        }
    }

    @Test
    void anUnreachableCollectorNeverFailsARequest(@TempDir Path dir) throws Exception {
        int closedPort;
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        try (LambdaRuntimeApi api = LambdaRuntimeApi.start();
                BoundedProcess scorer =
                        HostScorer.start(
                                api,
                                Map.of(
                                        "OTEL_ENABLED",
                                        "true",
                                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                                        endpoint),
                                dir.resolve("scorer.log"),
                                LIMIT)) {
            for (int i = 0; i < 2; i++) {
                assertThat(
                                AlbEvents.response(api.invoke(AlbEvents.health()).get(30, SECONDS))
                                        .statusCode())
                        .isEqualTo(200);
            }
            assertThat(scorer.output())
                    .contains(
                            "trace export to "
                                    + endpoint
                                    + "/v1/traces failed (request unaffected)");
            assertThat(scorer.isAlive()).isTrue();
        }
    }
}
