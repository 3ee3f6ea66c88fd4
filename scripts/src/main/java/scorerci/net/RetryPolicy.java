package scorerci.net;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import scorerci.core.PipelineException;

/**
 * How hard to retry transient failures (429, 5xx, resets, timeouts): exponential backoff with
 * jitter, at most {@code maxAttempts} tries and {@code budget} of total waiting, a server's
 * Retry-After honoured. Tests shrink the delays through the SCORER_ARTIFACT_RETRY_* variables.
 *
 * <p>The budget is wall-clock time since the operation started (or since the last attempt that
 * received body bytes), attempts included: a new attempt gets at most what is left of it.
 *
 * @param timeout the stall limit: no byte sent or received for this long fails an attempt
 */
public record RetryPolicy(
        int maxAttempts, Duration baseDelay, Duration maxDelay, Duration budget, Duration timeout) {

    public static RetryPolicy defaults() {
        // a dead peer fails within the 60 s budget: each attempt stalls out after 20 s (Deadlines)
        return new RetryPolicy(
                5,
                Duration.ofSeconds(2),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                Duration.ofSeconds(20));
    }

    /**
     * Defaults overridden by SCORER_ARTIFACT_RETRY_ATTEMPTS, _BASE_MS, _MAX_MS, _BUDGET_MS and
     * SCORER_ARTIFACT_TIMEOUT_MS.
     */
    public static RetryPolicy fromEnv(Function<String, String> env) {
        RetryPolicy d = defaults();
        return new RetryPolicy(
                (int) number(env, "SCORER_ARTIFACT_RETRY_ATTEMPTS", d.maxAttempts),
                Duration.ofMillis(
                        number(env, "SCORER_ARTIFACT_RETRY_BASE_MS", d.baseDelay.toMillis())),
                Duration.ofMillis(
                        number(env, "SCORER_ARTIFACT_RETRY_MAX_MS", d.maxDelay.toMillis())),
                Duration.ofMillis(
                        number(env, "SCORER_ARTIFACT_RETRY_BUDGET_MS", d.budget.toMillis())),
                Duration.ofMillis(number(env, "SCORER_ARTIFACT_TIMEOUT_MS", d.timeout.toMillis())));
    }

    /**
     * The wait before try number {@code failures + 1}: base × 2^(failures-1), capped, with "equal
     * jitter" (half fixed, half random) so parallel block uploads do not retry in lockstep. A
     * Retry-After from the server wins when it is longer.
     */
    public Duration delay(int failures, Duration retryAfter) {
        long exp = baseDelay.toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(Math.max(exp, 0), maxDelay.toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        if (retryAfter != null && retryAfter.toMillis() > jittered) return retryAfter;
        return Duration.ofMillis(jittered);
    }

    private static long number(Function<String, String> env, String name, long fallback) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0 || (name.endsWith("ATTEMPTS") && n < 1)) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw PipelineException.usage(
                    name
                            + "='"
                            + value
                            + "' is not a valid number; unset it or give a positive integer");
        }
    }
}
