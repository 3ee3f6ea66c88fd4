package scorerci.net;

import java.time.Duration;
import java.util.function.Function;
import scorerci.core.PipelineException;

/**
 * The time and size bounds of every network exchange of the artifact commands (the Results service,
 * blob storage, the REST API), beside {@link RetryPolicy}'s stall timeout and retry budget.
 * Together they are the one deadline model the README's "Reliability" section documents:
 *
 * <ul>
 *   <li>{@code connect}: to open a TCP/TLS connection.
 *   <li>stall ({@link RetryPolicy#timeout()}): no byte sent or received for this long fails the
 *       attempt, whatever phase it is in (sending the request body, waiting for the response
 *       headers, reading a body, reading an ERROR body).
 *   <li>{@code minBytesPerSecond}: while a body is read, every stall-long window must bring at
 *       least this many bytes per second, so a peer trickling a byte a second fails too.
 *   <li>{@code operation}: the wall-clock bound of one operation, all attempts and transfers
 *       included.
 *   <li>{@code replyCap}: the most bytes a JSON/XML reply or error body may have; a download's own
 *       cap comes from --max-size-mb ({@link HttpTransfer#capBodies}).
 * </ul>
 *
 * Every value can be overridden through the environment (milliseconds / bytes):
 * SCORER_NET_CONNECT_TIMEOUT_MS, SCORER_NET_MIN_RATE_BPS, SCORER_NET_DEADLINE_MS,
 * SCORER_NET_REPLY_MAX_BYTES (stall: SCORER_ARTIFACT_TIMEOUT_MS; retry budget:
 * SCORER_ARTIFACT_RETRY_BUDGET_MS).
 */
public record Deadlines(
        Duration connect, long minBytesPerSecond, Duration operation, long replyCap) {

    public static Deadlines defaults() {
        return new Deadlines(Duration.ofSeconds(10), 4096, Duration.ofMinutes(30), 16L << 20);
    }

    public static Deadlines fromEnv(Function<String, String> env) {
        Deadlines d = defaults();
        return new Deadlines(
                Duration.ofMillis(
                        number(env, "SCORER_NET_CONNECT_TIMEOUT_MS", d.connect.toMillis(), 1)),
                number(env, "SCORER_NET_MIN_RATE_BPS", d.minBytesPerSecond, 0),
                Duration.ofMillis(number(env, "SCORER_NET_DEADLINE_MS", d.operation.toMillis(), 1)),
                number(env, "SCORER_NET_REPLY_MAX_BYTES", d.replyCap, 1));
    }

    static long number(Function<String, String> env, String name, long fallback, long min) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            long n = Long.parseLong(value.trim());
            if (n < min) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw PipelineException.usage(
                    name
                            + "='"
                            + value
                            + "' is not a valid number; unset it or give an integer of at least "
                            + min);
        }
    }
}
