package scorerci.artifacts.results;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body that hands out 256 KiB windows onto one block buffer, on demand. HttpClient's own
 * {@code ofByteArray} copies the whole array per attempt (an extra 8 MiB per block in flight), and
 * {@code ofInputStream} allocates and copies per chunk; this does neither, which keeps the upload
 * within -Xmx64m and fast. The windows are views: the buffer is only read, so a retry can publish
 * it again.
 */
final class ByteSlicePublisher implements HttpRequest.BodyPublisher {
    private static final int SLICE = 256 * 1024;
    private final ByteBuffer data;
    private final int length;

    ByteSlicePublisher(ByteBuffer data, int length) {
        this.data = data;
        this.length = length;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(
                new Flow.Subscription() {
                    private final AtomicLong demand = new AtomicLong();
                    private final AtomicBoolean draining = new AtomicBoolean();
                    private volatile boolean cancelled;
                    private int position;

                    @Override
                    public void request(long n) {
                        if (n <= 0) {
                            cancelled = true;
                            subscriber.onError(
                                    new IllegalArgumentException("non-positive request"));
                            return;
                        }
                        demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                        drain();
                    }

                    private void drain() {
                        // one thread emits at a time; a request() arriving meanwhile is picked up
                        // by the loop
                        while (draining.compareAndSet(false, true)) {
                            try {
                                while (!cancelled && demand.get() > 0 && position < length) {
                                    int n = Math.min(SLICE, length - position);
                                    ByteBuffer slice = data.slice(position, n).asReadOnlyBuffer();
                                    position += n;
                                    demand.decrementAndGet();
                                    subscriber.onNext(slice);
                                }
                                if (!cancelled && position >= length) {
                                    cancelled = true;
                                    subscriber.onComplete();
                                }
                            } finally {
                                draining.set(false);
                            }
                            if (cancelled || demand.get() == 0 || position >= length) return;
                        }
                    }

                    @Override
                    public void cancel() {
                        cancelled = true;
                    }
                });
    }
}
