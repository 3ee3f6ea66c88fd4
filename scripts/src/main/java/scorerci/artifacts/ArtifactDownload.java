package scorerci.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import scorerci.cli.Log;
import scorerci.cli.PipelineException;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * The download stage. Nothing reaches the destination until everything is checked: the zipped
 * artifact is extracted as it streams into a hidden staging directory next to the destination
 * ({@link StreamingUnzip}), its SHA-256 compared with the digest the service recorded and its
 * central directory checked against what was extracted, and (unless told otherwise) its
 * bootstrap.zip verified as a Lambda package. Only then is each file moved into place by an
 * atomic rename; the staging directory is always removed.
 */
public final class ArtifactDownload {
    public static final String LAMBDA_ZIP = "bootstrap.zip";

    /** @param verify run the build-zip verification on the extracted bootstrap.zip */
    public record Request(String name, Path dest, boolean verify, long maxExtractedBytes) {}

    /** @param files the files written, as absolute paths; {@code lambdaZip} null when not verified */
    public record Outcome(ArtifactInfo artifact, Path dest, List<Path> files, VerifiedZip lambdaZip) {}

    private final ArtifactStore store;
    private final Log log;
    private final LongFunction<ProgressMeter> meters;

    private final int tailCap;

    public ArtifactDownload(ArtifactStore store, Log log, LongFunction<ProgressMeter> meters) {
        this(store, log, meters, StreamingUnzip.TAIL_CAP);
    }

    /** @param tailCap bytes kept from the stream's end for the central directory check (tests shrink it) */
    ArtifactDownload(ArtifactStore store, Log log, LongFunction<ProgressMeter> meters, int tailCap) {
        this.store = store;
        this.log = log;
        this.meters = meters;
        this.tailCap = tailCap;
    }

    public Outcome run(Request request) {
        String name = ArtifactName.validate(request.name());
        ArtifactInfo artifact = store.find(name).orElseThrow(() -> notFound(name));
        if (artifact.expired()) {
            throw PipelineException.notFound("artifact '" + name + "' in " + store.describe() + " has expired"
                    + (artifact.expiresAt() == null ? "" : " (at " + artifact.expiresAt() + ")")
                    + "; rerun the workflow that built it, or upload it again");
        }
        Path dest = request.dest().toAbsolutePath().normalize();
        Path staging = null;
        try {
            Files.createDirectories(dest.getParent());
            staging = Files.createTempDirectory(dest.getParent(), ".download-artifact-");
            Path content = staging.resolve("content");
            List<Path> extracted = fetch(artifact, staging, content, request.maxExtractedBytes());
            VerifiedZip verified = null;
            if (request.verify()) {
                Path lambdaZip = content.resolve(LAMBDA_ZIP);
                if (!extracted.contains(Path.of(LAMBDA_ZIP))) {
                    throw PipelineException.verification("artifact '" + name + "' holds no " + LAMBDA_ZIP + " (it holds: "
                            + extracted.stream().map(Path::toString).collect(Collectors.joining(", "))
                            + "); nothing was written; pass --no-verify to download a non-Lambda artifact");
                }
                verified = ZipVerifier.verify(lambdaZip, ZipRules.defaults());
            }
            Files.createDirectories(dest);
            List<Path> written = new ArrayList<>();
            for (Path relative : extracted) {
                Path target = dest.resolve(relative.toString());
                Files.createDirectories(target.getParent());
                Files.move(content.resolve(relative.toString()), target,
                        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                written.add(target);
            }
            if (verified != null) {
                Path finalPath = dest.resolve(LAMBDA_ZIP);
                verified = new VerifiedZip(finalPath, verified.size(), verified.unzippedSize(), verified.sha256Hex(),
                        verified.codeSha256(), verified.machine(), verified.highestGlibc(), verified.entries());
            }
            return new Outcome(artifact, dest, written, verified);
        } catch (IOException e) {
            throw PipelineException.prerequisite("cannot write under " + dest + ": " + e.getMessage() + "; pass a writable --dest DIR");
        } finally {
            if (staging != null) LocalStore.deleteTree(staging);
        }
    }

    /**
     * Fetches and extracts into {@code content}, digest checked. Normally in one pass
     * ({@link StreamingUnzip}: the bytes are written once); when streaming cannot decide (a huge
     * central directory, a zip feature a stream cannot read), the old way: the whole zip to a
     * temp file, its digest, then {@link SafeUnzip}. Either way every attempt starts from an
     * empty {@code content} directory.
     */
    private List<Path> fetch(ArtifactInfo artifact, Path staging, Path content, long maxBytes) throws IOException {
        long started = System.nanoTime();
        StreamingUnzip.Result streamed = store.stream(artifact, meters.apply(artifact.size()), body -> {
            LocalStore.deleteTree(content); // a retried transfer starts over
            Files.createDirectories(content);
            return StreamingUnzip.extract(body, content, maxBytes, tailCap,
                    (size, sha) -> checkDigest(artifact, new HttpTransfer.Downloaded(size, sha)));
        });
        if (!streamed.fellBack()) {
            log.detail(String.format(java.util.Locale.ROOT, "downloaded and extracted %d files in %.2f s",
                    streamed.files().size(), (System.nanoTime() - started) / 1e9));
            return streamed.files();
        }
        log.progress("artifact '" + artifact.name() + "': " + streamed.fallback() + "; downloading it again to a temporary file");
        LocalStore.deleteTree(content);
        Path zip = staging.resolve("artifact.zip");
        started = System.nanoTime();
        HttpTransfer.Downloaded got = store.download(artifact, zip, meters.apply(artifact.size()));
        log.detail(String.format(java.util.Locale.ROOT, "downloaded %d bytes in %.2f s", got.size(), (System.nanoTime() - started) / 1e9));
        checkDigest(artifact, got);
        Files.createDirectories(content);
        return SafeUnzip.extract(zip, content, maxBytes);
    }

    private void checkDigest(ArtifactInfo artifact, HttpTransfer.Downloaded got) {
        if (artifact.digest() == null) {
            log.warn("artifact '" + artifact.name() + "' has no recorded digest (uploaded by a pre-v4 client); "
                    + "its bytes hash to sha256:" + got.sha256Hex());
            return;
        }
        if (!artifact.digest().equals(got.sha256Hex())) {
            throw PipelineException.verification("digest mismatch for artifact '" + artifact.name() + "': "
                    + store.describe() + " recorded " + artifact.prefixedDigest() + " but the " + got.size()
                    + " bytes received hash to sha256:" + got.sha256Hex()
                    + "; nothing was written; rerun, and if it persists upload the artifact again");
        }
    }

    private PipelineException notFound(String name) {
        List<String> names = store.list().stream().map(ArtifactInfo::name).sorted().distinct().toList();
        return PipelineException.notFound("artifact '" + name + "' not found in " + store.describe() + "; "
                + (names.isEmpty()
                        ? "it has no artifacts at all (wrong run id, upload not finished, or the token lacks 'actions: read')"
                        : "it has: " + String.join(", ", names) + " (check --tag/--name)"));
    }
}
