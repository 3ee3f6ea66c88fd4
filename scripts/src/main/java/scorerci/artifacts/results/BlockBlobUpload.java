package scorerci.artifacts.results;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import scorerci.core.Digests;
import scorerci.core.PipelineException;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;
import scorerci.net.Surface;

/**
 * An OutputStream that uploads what is written to it as an Azure block blob behind a SAS URL:
 * fixed-size blocks (Put Block, at most {@code concurrency} in flight, each retried on its own),
 * then one Put Block List naming the blocks in write order. The SHA-256 and the size are computed
 * over exactly the bytes written, on the way through.
 *
 * <p>Memory is bounded by concurrency + 1 block buffers, reused; a writer blocks while all are
 * busy. The buffers are direct (off-heap) ByteBuffers: five 8 MiB byte arrays would be G1
 * "humongous" objects needing 9 contiguous 1 MiB regions each, which a 64 MiB heap cannot always
 * find once fragmented (OutOfMemoryError under -Xmx64m on a loaded machine); off-heap they also go
 * to the socket without being copied into a temporary direct buffer first. Nothing is committed
 * unless {@link #finish()} succeeds: blocks that were put but never listed are discarded by the
 * storage service.
 */
public final class BlockBlobUpload extends OutputStream {
    public static final int BLOCK_SIZE = 8 * 1024 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    static final String STORAGE_VERSION = "2026-04-06";

    private final String signedUrl;
    private final HttpTransfer http;
    private final ProgressMeter meter;
    private final String contentType;
    private final int blockSize;
    private final ExecutorService workers;
    private final BlockingQueue<ByteBuffer> freeBuffers;
    private final List<Future<?>> pending = new ArrayList<>();
    private final List<String> blockIds = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final String idPrefix = UUID.randomUUID().toString();
    private final MessageDigest sha = Digests.sha256();
    private ByteBuffer current;
    private int filled;
    private long size;
    private boolean closed;

    public BlockBlobUpload(
            String signedUrl,
            HttpTransfer http,
            int concurrency,
            int blockSize,
            ProgressMeter meter,
            String contentType) {
        if (concurrency < 1) throw PipelineException.usage("upload concurrency must be at least 1");
        this.signedUrl = signedUrl;
        this.http = http;
        this.meter = meter;
        this.contentType = contentType;
        this.blockSize = blockSize;
        this.freeBuffers = new ArrayBlockingQueue<>(concurrency + 1);
        this.workers =
                Executors.newFixedThreadPool(
                        concurrency,
                        r -> {
                            Thread t = new Thread(r, "put-block");
                            t.setDaemon(true);
                            return t;
                        });
        for (int i = 0; i <= concurrency; i++)
            freeBuffers.add(EMPTY); // allocated lazily, at most once each
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (closed) throw new IOException("upload already finished");
        sha.update(data, offset, length);
        size += length;
        while (length > 0) {
            if (current == null) current = takeBuffer();
            int n = Math.min(length, blockSize - filled);
            current.put(filled, data, offset, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == blockSize) submitCurrent();
        }
    }

    /** Uploads the last block, waits for all, commits the block list. Returns size and digest. */
    public Result finish() {
        if (closed) throw new IllegalStateException("finish() called twice");
        try {
            if (filled > 0 || blockIds.isEmpty()) {
                if (current == null) current = takeBuffer();
                submitCurrent();
            }
            for (Future<?> f : pending) f.get();
            rethrowFailure();
            putBlockList();
            return new Result(size, Digests.hex(sha.digest()), blockIds.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PipelineException.aborted("upload interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            rethrowFailure();
            throw new IllegalStateException(e.getCause());
        } finally {
            closed = true;
            workers.shutdownNow();
        }
    }

    /** Stops in-flight blocks; nothing is committed. */
    public void abort() {
        closed = true;
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        // deliberately not finishing: a caller that fails midway must not commit a partial blob
    }

    public record Result(long size, String sha256Hex, int blocks) {}

    private void submitCurrent() {
        rethrowFailure();
        ByteBuffer buffer = current;
        int length = filled;
        int index = blockIds.size();
        String id = blockId(index);
        blockIds.add(id);
        current = null;
        filled = 0;
        pending.add(
                workers.submit(
                        () -> {
                            try {
                                if (failure.get() == null) putBlock(index, id, buffer, length);
                            } catch (RuntimeException e) {
                                failure.compareAndSet(null, e);
                            } finally {
                                freeBuffers.add(buffer);
                            }
                        }));
        pending.removeIf(Future::isDone);
    }

    private ByteBuffer takeBuffer() {
        try {
            ByteBuffer buffer;
            while ((buffer = freeBuffers.poll(200, TimeUnit.MILLISECONDS)) == null)
                rethrowFailure();
            return buffer.capacity() == blockSize ? buffer : ByteBuffer.allocateDirect(blockSize);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PipelineException.aborted("upload interrupted");
        }
    }

    private void rethrowFailure() {
        RuntimeException e = failure.get();
        if (e != null) throw e;
    }

    /** UUID plus zero-padded index: every id has the same length, as Azure requires. */
    private String blockId(int index) {
        String raw = idPrefix + String.format("%012d", index);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private void putBlock(int index, String id, ByteBuffer buffer, int length) {
        URI uri =
                URI.create(
                        withParameters(
                                "comp=block&blockid="
                                        + URLEncoder.encode(id, StandardCharsets.UTF_8)));
        http.send(
                Surface.BLOB,
                "Put Block " + (index + 1),
                () ->
                        HttpRequest.newBuilder(uri)
                                .timeout(http.timeout())
                                .header("Content-Type", "application/octet-stream")
                                .header("x-ms-version", STORAGE_VERSION)
                                .header("x-ms-client-request-id", UUID.randomUUID().toString())
                                .PUT(
                                        new ByteSlicePublisher(
                                                buffer,
                                                length)) // windows onto the one buffer: no copy per
                                // attempt
                                .build());
        meter.add(length);
    }

    private void putBlockList() {
        StringBuilder xml =
                new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        for (String id : blockIds) xml.append("<Latest>").append(id).append("</Latest>");
        xml.append("</BlockList>");
        byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(withParameters("comp=blocklist"));
        http.send(
                Surface.BLOB,
                "Put Block List",
                () ->
                        HttpRequest.newBuilder(uri)
                                .timeout(http.timeout())
                                .header("Content-Type", "application/xml")
                                .header("x-ms-blob-content-type", contentType)
                                .header("x-ms-version", STORAGE_VERSION)
                                .header("x-ms-client-request-id", UUID.randomUUID().toString())
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build());
    }

    /**
     * Appends parameters to the SAS URL verbatim: its values are already encoded and must stay so.
     */
    private String withParameters(String parameters) {
        return signedUrl + (signedUrl.contains("?") ? "&" : "?") + parameters;
    }
}
