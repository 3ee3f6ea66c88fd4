package scorerci.scorer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import scorerci.fakes.AlbEvents;
import scorerci.fakes.LambdaRuntimeApi;
import scorerci.testing.BoundedProcess;

/**
 * End to end on this machine: the real scorer binary (host build, same code as the aarch64 {@code
 * bootstrap}) polls the fake Lambda Runtime API and answers ALB events. Uses the shipped {@code
 * scorer/weights.json} through {@code LAMBDA_TASK_ROOT}, exactly as in the zip.
 */
@Tag("slow") // builds the scorer for the host (cargo build) before it runs: not in
// scripts/run-tests.sh --fast
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScorerHostRuntimeTest {
    private static final String ADDRESS = "0xAbCdEf0123456789abcdef0123456789ABCDEF01";
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private LambdaRuntimeApi api;
    private BoundedProcess scorer;

    @BeforeAll
    void startScorer(@TempDir Path logs) throws Exception {
        api = LambdaRuntimeApi.start();
        scorer = HostScorer.start(api, Map.of(), logs.resolve("scorer.log"), LIMIT);
    }

    @AfterAll
    void stop() {
        if (scorer != null) scorer.close();
        if (api != null) api.close();
    }

    private AlbEvents.Response call(String event) throws Exception {
        try {
            return AlbEvents.response(api.invoke(event).get(30, SECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 30 s; " + scorer.describe(), e);
        }
    }

    @Test
    void healthAnswersOk() throws Exception {
        AlbEvents.Response r = call(AlbEvents.health());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.statusDescription()).isEqualTo("200 OK");
        assertThat(r.body()).isEqualTo("OK");
        assertThat(r.headers()).containsEntry("content-type", "text/plain; charset=utf-8");
    }

    @Test
    void scoresStampsWithTheShippedWeights() throws Exception {
        // scorer 1 in weights.json: Binance 16.021, Github 4.0, Google 2.25, Ens 2.2, Twitter 0.39,
        // threshold 20
        String stamps =
                """
                [{"provider": "Google",  "nullifiers": ["v0.0.0:google"], "expiration_date": "2099-03-01T00:00:00Z"},
                 {"provider": "Github",  "nullifiers": ["v0.0.0:github"], "expiration_date": "2099-01-15T00:00:00Z"},
                 {"provider": "Binance", "nullifiers": ["v0.0.0:binance"], "expiration_date": "2099-02-01T00:00:00Z"},
                 {"provider": "Ens",     "nullifiers": ["v0.0.0:google"], "expiration_date": "2099-03-01T00:00:00Z"},
                 {"provider": "Twitter", "nullifiers": ["v0.0.0:twitter"], "expiration_date": "2020-01-01T00:00:00Z"}]
                """;
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        AlbEvents.Response r = call(AlbEvents.score("1", ADDRESS, stamps));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("content-type", "application/json");
        JsonNode json = r.json();
        assertThat(json.get("address").asText()).isEqualTo(ADDRESS.toLowerCase());
        assertThat(json.get("score").asText()).isEqualTo("22.27100");
        assertThat(json.get("passing_score").asBoolean()).isTrue();
        assertThat(json.get("threshold").asText()).isEqualTo("20.00000");
        assertThat(json.get("expiration_timestamp").asText()).isEqualTo("2099-01-15T00:00:00Z");
        OffsetDateTime scoredAt = OffsetDateTime.parse(json.get("last_score_timestamp").asText());
        assertThat(scoredAt).isAfter(before).isBefore(OffsetDateTime.now().plusSeconds(1));

        JsonNode lines = json.get("stamps");
        assertThat(lines.size()).isEqualTo(5);
        assertThat(lines.get("Google").get("score").asText()).isEqualTo("2.25000");
        assertThat(lines.get("Google").get("dedup").asBoolean()).isFalse();
        assertThat(lines.get("Binance").get("score").asText()).isEqualTo("16.02100");
        assertThat(lines.get("Ens").get("score").asText()).isEqualTo("0.00000");
        assertThat(lines.get("Ens").get("dedup").asBoolean())
                .as("shares Google's nullifier")
                .isTrue();
        assertThat(lines.get("Twitter").get("score").asText()).as("expired").isEqualTo("0.00000");
        assertThat(lines.get("Twitter").get("dedup").asBoolean()).isFalse();
        assertThat(lines.get("Twitter").get("expiration_date").asText())
                .isEqualTo("2020-01-01T00:00:00Z");
    }

    @Test
    void belowThresholdIsNotPassing() throws Exception {
        String stamps =
                "{\"stamps\": [{\"provider\": \"Github\", \"nullifiers\": [\"n\"], \"expiration_date\": \"2099-01-01T00:00:00+02:00\"}]}";
        JsonNode json = call(AlbEvents.score("335", ADDRESS, stamps)).json();
        assertThat(json.get("score").asText()).isEqualTo("10.00000");
        assertThat(json.get("threshold").asText()).isEqualTo("15.00000");
        assertThat(json.get("passing_score").asBoolean()).isFalse();
        assertThat(json.get("expiration_timestamp").asText()).isEqualTo("2098-12-31T22:00:00Z");
    }

    @Test
    void malformedAddressIs400WithAnError() throws Exception {
        AlbEvents.Response r = call(AlbEvents.score("1", "0x1234", "[]"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("0x1234").contains("40 hex digits");
    }

    @Test
    void unknownScorerIs404() throws Exception {
        AlbEvents.Response r = call(AlbEvents.score("4242", ADDRESS, "[]"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).contains("unknown scorer \"4242\"");
    }

    @Test
    void malformedBodyIs400NamingTheProblem() throws Exception {
        AlbEvents.Response notJson = call(AlbEvents.score("1", ADDRESS, "{oops"));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.json().get("error").asText()).contains("not JSON");

        AlbEvents.Response badDate =
                call(
                        AlbEvents.score(
                                "1",
                                ADDRESS,
                                "[{\"provider\": \"Google\", \"nullifiers\": [\"n\"], \"expiration_date\": \"next week\"}]"));
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(badDate.json().get("error").asText())
                .contains("stamps[0].expiration_date")
                .contains("RFC 3339");
    }

    @Test
    void wrongMethodIs405AndUnknownRouteIs404() throws Exception {
        AlbEvents.Response get = call(AlbEvents.get("/v2/stamps/1/score/" + ADDRESS));
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers()).containsEntry("allow", "POST");

        AlbEvents.Response missing = call(AlbEvents.get("/v1/nothing"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).contains("no route");
    }

    @Test
    void aNonAlbEventIsReportedAsAnInvocationErrorAndTheRuntimeKeepsServing() throws Exception {
        LambdaRuntimeApi.Invocation bad =
                api.invoke("{\"not\": \"an ALB event\"}").get(30, SECONDS);
        assertThat(bad.error()).as("posted to /invocation/{id}/error").isTrue();
        assertThat(bad.body()).contains("errorMessage");

        assertThat(call(AlbEvents.health()).statusCode()).isEqualTo(200);
        assertThat(scorer.isAlive()).as(scorer.describe()).isTrue();
        assertThat(api.protocolErrors()).isEmpty();
    }

    @Test
    void aMissingWeightsFileStopsStartUpWithOneClearLine(@TempDir Path dir) throws Exception {
        try (LambdaRuntimeApi other = LambdaRuntimeApi.start();
                BoundedProcess broken =
                        HostScorer.start(
                                other,
                                Map.of("SCORER_WEIGHTS_PATH", dir.resolve("nope.json").toString()),
                                dir.resolve("broken.log"),
                                Duration.ofSeconds(30))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (broken.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(broken.isAlive()).as("exits instead of serving without weights").isFalse();
            assertThat(broken.output())
                    .contains("cannot start: SCORER_WEIGHTS_PATH=" + dir.resolve("nope.json"));
            assertThat(other.polls()).as("never asks for events").isZero();
        }
    }

    @Test
    void aCorruptWeightsFileNamesTheFileAndTheFault(@TempDir Path dir) throws Exception {
        Path corrupt =
                Files.writeString(
                        dir.resolve("weights.json"),
                        "{\"scorers\": {\"1\": {\"weights\": {\"Google\": -2}}}}");
        try (LambdaRuntimeApi other = LambdaRuntimeApi.start();
                BoundedProcess broken =
                        HostScorer.start(
                                other,
                                Map.of("SCORER_WEIGHTS_PATH", corrupt.toString()),
                                dir.resolve("broken.log"),
                                Duration.ofSeconds(30))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (broken.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(broken.isAlive()).isFalse();
            assertThat(broken.output())
                    .contains(corrupt.toString())
                    .contains("weight -2 of Google must be a number >= 0");
        }
    }
}
