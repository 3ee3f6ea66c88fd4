package scorerci.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import scorerci.artifacts.store.ArtifactInfo;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.artifacts.store.LocalStore;
import scorerci.core.DefaultPaths;
import scorerci.core.Log;
import scorerci.core.OutsideText;
import scorerci.core.PipelineException;
import scorerci.core.Stage;
import scorerci.core.TempFiles;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;
import scorerci.provenance.DigestChain;
import scorerci.provenance.ProvenanceStatement;
import scorerci.zip.SafeUnzip;
import scorerci.zip.StreamingUnzip;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * The download stage. Nothing reaches the destination until everything is checked: the zipped
 * artifact is extracted as it streams into a hidden staging directory next to the destination
 * ({@link StreamingUnzip}), its SHA-256 compared with the digest the service recorded and its
 * central directory checked against what was extracted, and (unless told otherwise) its
 * bootstrap.zip verified as a Lambda package. Only then does the staged tree replace --dest by one
 * rename ({@link DestinationSwap}: files --dest had that the artifact does not are kept, by hard
 * link); on any failure --dest is as it was. The staging directory ({@code
 * .<dest>.scorer-tmp-<pid>-*}, see {@link TempFiles}) is always removed, on SIGTERM too, and a
 * later run removes what a SIGKILL left. Every byte any store delivers counts against {@link
 * #zippedCap}, streamed or spooled.
 */
public final class ArtifactDownload
        implements Stage<ArtifactDownload.Request, ArtifactDownload.Outcome> {
    public static final String LAMBDA_ZIP = DefaultPaths.LAMBDA_ZIP;

    /**
     * @param verify run the build-zip verification on the extracted bootstrap.zip
     * @param requiredEntries entries bootstrap.zip must hold besides bootstrap (DeclaredEntries of
     *     the repository)
     */
    public record Request(
            String name,
            Path dest,
            boolean verify,
            long maxExtractedBytes,
            List<String> requiredEntries) {
        public Request {
            requiredEntries = List.copyOf(requiredEntries);
        }

        public Request(String name, Path dest, boolean verify, long maxExtractedBytes) {
            this(name, dest, verify, maxExtractedBytes, List.of());
        }
    }

    /**
     * @param files the files written, as absolute paths; {@code lambdaZip} null when not verified
     */
    public record Outcome(
            ArtifactInfo artifact, Path dest, List<Path> files, VerifiedZip lambdaZip) {}

    private final ArtifactStore store;
    private final Log log;
    private final LongFunction<ProgressMeter> meters;

    private final int tailCap;

    public ArtifactDownload(ArtifactStore store, Log log, LongFunction<ProgressMeter> meters) {
        this(store, log, meters, StreamingUnzip.TAIL_CAP);
    }

    /**
     * @param tailCap bytes kept from the stream's end for the central directory check (tests shrink
     *     it)
     */
    ArtifactDownload(
            ArtifactStore store, Log log, LongFunction<ProgressMeter> meters, int tailCap) {
        this.store = store;
        this.log = log;
        this.meters = meters;
        this.tailCap = tailCap;
    }

    @Override
    public Outcome run(Request request) {
        String name = ArtifactName.validate(request.name());
        ArtifactInfo artifact = store.find(name).orElseThrow(() -> notFound(name));
        if (artifact.expired()) {
            throw PipelineException.notFound(
                    "artifact '"
                            + name
                            + "' in "
                            + store.describe()
                            + " has expired"
                            + (artifact.expiresAt() == null
                                    ? ""
                                    : " (at " + artifact.expiresAt() + ")")
                            + "; rerun the workflow that built it, or upload it again");
        }
        Path dest = request.dest().toAbsolutePath().normalize();
        checkDest(dest);
        Path staging = null;
        try {
            recoverInterruptedSwap(dest);
            staging = TempFiles.createDirectory(dest.getParent(), dest.getFileName().toString());
            Path content = staging.resolve("content");
            List<Path> extracted = fetch(artifact, staging, content, request.maxExtractedBytes());
            VerifiedZip verified = null;
            if (request.verify()) {
                Path lambdaZip = content.resolve(LAMBDA_ZIP);
                if (!extracted.contains(Path.of(LAMBDA_ZIP))) {
                    throw PipelineException.verification(
                            "artifact '"
                                    + name
                                    + "' holds no "
                                    + LAMBDA_ZIP
                                    + " (it holds: "
                                    + extracted.stream()
                                            .map(p -> OutsideText.escape(p.toString()))
                                            .collect(Collectors.joining(", "))
                                    + "); nothing was written; pass --no-verify to download a non-Lambda artifact");
                }
                verified =
                        ZipVerifier.verify(
                                lambdaZip,
                                ZipRules.defaults().withRequiredEntries(request.requiredEntries()));
                // the build's provenance statement travels with the zip: it must be about these
                // bytes
                if (ProvenanceStatement.checkBeside(
                                lambdaZip,
                                verified.sha256Hex(),
                                LAMBDA_ZIP + " in artifact '" + name + "'")
                        .isEmpty()) {
                    log.detail(
                            "artifact '"
                                    + name
                                    + "' carries no "
                                    + LAMBDA_ZIP
                                    + ProvenanceStatement.SUFFIX);
                }
            }
            List<Path> landed = new ArrayList<>(extracted);
            if (verified
                    != null) { // the chain so far lands with the zip, for deploy and verify-deploy
                // to extend
                Path chain = DigestChain.pathFor(Path.of(LAMBDA_ZIP));
                DigestChain.downloaded(
                                content.resolve(LAMBDA_ZIP),
                                verified.sha256Hex(),
                                name,
                                artifact.digest())
                        .write(content.resolve(chain.toString()));
                if (!landed.contains(chain)) landed.add(chain);
            }
            DestinationSwap.prepare(content, dest);
            Path aside = staging.resolve(DestinationSwap.PREVIOUS);
            TempFiles.landing(() -> DestinationSwap.swap(content, dest, aside));
            List<Path> written = new ArrayList<>();
            for (Path relative : landed) written.add(dest.resolve(relative.toString()));
            if (verified != null) {
                Path finalPath = dest.resolve(LAMBDA_ZIP);
                verified =
                        new VerifiedZip(
                                finalPath,
                                verified.size(),
                                verified.unzippedSize(),
                                verified.sha256Hex(),
                                verified.codeSha256(),
                                verified.machine(),
                                verified.highestGlibc(),
                                verified.entries());
            }
            return new Outcome(artifact, dest, written, verified);
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot write under "
                            + dest
                            + ": "
                            + e.getMessage()
                            + "; pass a writable --dest DIR");
        } finally {
            TempFiles.delete(staging);
        }
    }

    /**
     * --dest is a directory of its own: not a symbolic link, not a file, not the working directory
     * or one of its parents (the swap renames it as a whole).
     */
    static void checkDest(Path dest) {
        if (Files.isSymbolicLink(dest)) {
            throw PipelineException.usage(
                    "--dest "
                            + dest
                            + " is a symbolic link; pass the real directory (or a new one)");
        }
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw PipelineException.usage(
                    "--dest "
                            + dest
                            + " exists and is not a directory; pass a directory to extract into");
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        if (dest.getParent() == null
                || cwd.startsWith(dest)
                || Files.exists(dest.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
            throw PipelineException.usage(
                    "--dest "
                            + dest
                            + " is the working directory, a parent of it or a repository;"
                            + " pass a directory of its own, such as rust-scorer-artifact");
        }
    }

    /**
     * A run killed between the two renames of {@link DestinationSwap#swap} left --dest missing and
     * its previous content in its staging directory: put it back before anything else.
     */
    private void recoverInterruptedSwap(Path dest) throws IOException {
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(dest.getParent()))
            return;
        String prefix = "." + dest.getFileName() + ".scorer-tmp-";
        try (var siblings =
                Files.newDirectoryStream(
                        dest.getParent(), p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path staging : siblings) {
                Path previous = staging.resolve(DestinationSwap.PREVIOUS);
                if (Files.isDirectory(previous, LinkOption.NOFOLLOW_LINKS)
                        && TempFiles.isTemporary(staging.getFileName().toString())) {
                    Files.move(previous, dest, StandardCopyOption.ATOMIC_MOVE);
                    log.warn("restored " + dest + " from an interrupted earlier download");
                    return;
                }
            }
        }
    }

    /**
     * Fetches and extracts into {@code content}, digest checked. Normally in one pass ({@link
     * StreamingUnzip}: the bytes are written once); when streaming cannot decide (a huge central
     * directory, a zip feature a stream cannot read), the old way: the whole zip to a temp file,
     * its digest, then {@link SafeUnzip}. Either way every attempt starts from an empty {@code
     * content} directory.
     */
    private List<Path> fetch(ArtifactInfo artifact, Path staging, Path content, long maxBytes)
            throws IOException {
        long started = System.nanoTime();
        long rawCap = zippedCap(maxBytes);
        StreamingUnzip.Result streamed =
                store.stream(
                        artifact,
                        meters.apply(artifact.size()),
                        input -> {
                            InputStream body = new CappedInput(input, rawCap);
                            LocalStore.deleteTree(content); // a retried transfer starts over
                            Files.createDirectories(content);
                            return StreamingUnzip.extract(
                                    body,
                                    content,
                                    maxBytes,
                                    tailCap,
                                    (size, sha) ->
                                            checkDigest(
                                                    artifact,
                                                    new HttpTransfer.Downloaded(size, sha)));
                        });
        if (!streamed.fellBack()) {
            log.detail(
                    String.format(
                            java.util.Locale.ROOT,
                            "downloaded and extracted %d files in %.2f s",
                            streamed.files().size(),
                            (System.nanoTime() - started) / 1e9));
            return streamed.files();
        }
        log.progress(
                "artifact '"
                        + artifact.name()
                        + "': "
                        + streamed.fallback()
                        + "; downloading it again to a temporary file");
        LocalStore.deleteTree(content);
        Path zip = staging.resolve("artifact.zip");
        started = System.nanoTime();
        HttpTransfer.Downloaded got =
                store.stream(
                        artifact,
                        meters.apply(artifact.size()),
                        body ->
                                HttpTransfer.copyHashing(
                                        body, zip, rawCap)); // the spool obeys the same cap
        log.detail(
                String.format(
                        java.util.Locale.ROOT,
                        "downloaded %d bytes in %.2f s",
                        got.size(),
                        (System.nanoTime() - started) / 1e9));
        checkDigest(artifact, got);
        Files.createDirectories(content);
        return SafeUnzip.extract(zip, content, maxBytes);
    }

    /**
     * The most zipped bytes an artifact extracting to at most {@code maxExtracted} bytes may have:
     * the content plus an eighth plus 16 MiB for headers, descriptors and the central directory of
     * up to 10,000 entries. Saturates instead of overflowing.
     */
    public static long zippedCap(long maxExtracted) {
        long headroom = maxExtracted / 8 + (16L << 20);
        return maxExtracted > Long.MAX_VALUE - headroom ? Long.MAX_VALUE : maxExtracted + headroom;
    }

    /** Counts every byte a store delivers, whatever the path, and refuses one past the cap. */
    private static final class CappedInput extends java.io.FilterInputStream {
        private final long cap;
        private long count;

        CappedInput(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && n > cap - count) throw HttpTransfer.tooLarge(cap);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(Math.min(n, Math.max(0, cap - count)));
        }
    }

    private void checkDigest(ArtifactInfo artifact, HttpTransfer.Downloaded got) {
        if (artifact.digest() == null) {
            log.warn(
                    "artifact '"
                            + artifact.name()
                            + "' has no recorded digest in "
                            + store.describe()
                            + " (the service recorded none), so the transfer cannot be checked against one; its bytes hash to"
                            + " sha256:"
                            + got.sha256Hex());
            return;
        }
        if (!artifact.digest().equals(got.sha256Hex())) {
            throw PipelineException.verification(
                    "digest mismatch for artifact '"
                            + artifact.name()
                            + "': "
                            + store.describe()
                            + " recorded "
                            + artifact.prefixedDigest()
                            + " but the "
                            + got.size()
                            + " bytes received hash to sha256:"
                            + got.sha256Hex()
                            + "; nothing was written; rerun, and if it persists upload the artifact again");
        }
    }

    private PipelineException notFound(String name) {
        List<String> names =
                store.list().stream().map(ArtifactInfo::name).sorted().distinct().toList();
        return PipelineException.notFound(
                "artifact '"
                        + name
                        + "' not found in "
                        + store.describe()
                        + "; "
                        + (names.isEmpty()
                                ? "it has no artifacts at all (wrong run id, upload not finished, or the token lacks 'actions: read')"
                                : "it has: " + String.join(", ", names) + " (check --tag/--name)"));
    }
}
