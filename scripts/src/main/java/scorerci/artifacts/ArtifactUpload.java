package scorerci.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import scorerci.artifacts.store.ArtifactInfo;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.core.Stage;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;
import scorerci.provenance.ProvenanceStatement;
import scorerci.zip.OuterZip;

/**
 * The upload stage: wrap one file (bootstrap.zip) in the deterministic v4 artifact zip and store it
 * under an immutable name, deciding what a rerun does when the name is taken.
 *
 * <p>"Same" means the same inner file. Because {@link OuterZip} is byte-deterministic, an artifact
 * we uploaded from equal bytes has an equal digest, which settles it without a transfer; for an
 * artifact made by another producer (e.g. actions/upload-artifact, which deflates and stamps times)
 * the existing zip is downloaded to a temp file and its entry hashed.
 */
public final class ArtifactUpload implements Stage<ArtifactUpload.Request, ArtifactUpload.Outcome> {
    public enum IfExists {
        FAIL,
        SKIP_IF_SAME,
        OVERWRITE;

        public static IfExists parse(String value) {
            return switch (value == null ? "" : value.trim().toLowerCase()) {
                case "fail" -> FAIL;
                case "skip-if-same", "skip" -> SKIP_IF_SAME;
                case "overwrite" -> OVERWRITE;
                default ->
                        throw PipelineException.usage(
                                "--if-exists '"
                                        + value
                                        + "' is not one of: fail, skip-if-same, overwrite");
            };
        }
    }

    public record Request(String name, Path file, Instant expiresAt, IfExists ifExists) {}

    /**
     * @param innerSha256 SHA-256 of the uploaded file itself (bootstrap.zip), bare hex
     */
    public record Outcome(
            ArtifactInfo artifact, String innerSha256, boolean skipped, boolean replaced) {}

    private final ArtifactStore store;
    private final Log log;
    private final LongFunction<ProgressMeter> meters;

    public ArtifactUpload(ArtifactStore store, Log log, LongFunction<ProgressMeter> meters) {
        this.store = store;
        this.log = log;
        this.meters = meters;
    }

    /**
     * What {@link #run} would store, computed from the file alone (no store, no network): the name
     * checked, the provenance statement beside the file checked, and the artifact zip's size and
     * digest, which are exact because the wrapper is byte-deterministic ({@link OuterZip}). The
     * artifact's id is 0: only a store assigns one.
     */
    public static Outcome plan(Request request) {
        String name = ArtifactName.validate(request.name());
        Path file = existing(request.file());
        OuterZip.Digests digests = OuterZip.digestOf(OuterZip.inspect(file), provenanceOf(file));
        ArtifactInfo wouldBe =
                new ArtifactInfo(
                        0,
                        name,
                        digests.size(),
                        digests.sha256Hex(),
                        null,
                        request.expiresAt(),
                        false,
                        null);
        return new Outcome(wouldBe, digests.innerSha256Hex(), false, false);
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw PipelineException.notFound(
                    file
                            + " does not exist; build it first (`jbang build-zip@.`) or pass --file PATH");
        }
        return file;
    }

    @Override
    public Outcome run(Request request) {
        String name = ArtifactName.validate(request.name());
        Path file = existing(request.file());
        long started = System.nanoTime();
        OuterZip.Inner inner = OuterZip.inspect(file);
        log.detail(
                String.format(
                        Locale.ROOT,
                        "summed the CRC-32 of %d bytes in %.2f s",
                        inner.size(),
                        seconds(started)));
        List<OuterZip.Inner> companions = provenanceOf(file);
        // Create first, as the official client does: one round trip fewer in the common case, and
        // nothing is listed before the run has an artifact (act's ListArtifacts fails on an empty
        // run). Only a taken name (409) makes us look at what is there.
        try {
            return create(name, request, inner, companions, false);
        } catch (PipelineException e) {
            if (e.exitCode() != ExitCode.CONFLICT) throw e;
            log.detail("artifact '" + name + "' exists (" + e.getMessage() + "); comparing");
        }
        ArtifactInfo existing =
                store.find(name)
                        .orElseThrow(
                                () ->
                                        PipelineException.remote(
                                                "creating artifact '"
                                                        + name
                                                        + "' in "
                                                        + store.describe()
                                                        + " was refused as a duplicate, but no artifact of that name is listed; rerun the job"));
        if (existing.expired()) {
            log.detail("artifact '" + name + "' exists but expired; replacing it");
            store.delete(existing);
            return create(name, request, inner, companions, false);
        }
        if (request.ifExists() == IfExists.OVERWRITE) {
            log.info(
                    "artifact '"
                            + name
                            + "' exists (id "
                            + existing.id()
                            + "); --if-exists overwrite: deleting it");
            store.delete(existing);
            return create(name, request, inner, companions, true);
        }
        return settleExisting(existing, inner, companions, request.ifExists());
    }

    /**
     * One upload attempt; a taken name surfaces as a CONFLICT PipelineException before any byte is
     * sent to Results.
     */
    private Outcome create(
            String name,
            Request request,
            OuterZip.Inner inner,
            List<OuterZip.Inner> companions,
            boolean replaced) {
        String[] innerSha = new String[1]; // computed on the upload's one pass over the file
        long started = System.nanoTime();
        ArtifactInfo uploaded =
                store.upload(
                        name,
                        request.expiresAt(),
                        out -> innerSha[0] = OuterZip.write(inner, companions, out),
                        meters.apply(-1));
        log.detail(
                String.format(
                        Locale.ROOT,
                        "stored %d bytes in %.2f s",
                        uploaded.size(),
                        seconds(started)));
        return new Outcome(uploaded, innerSha[0], false, replaced);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /**
     * The provenance statement beside the file, carried in the artifact after it; checked first, so
     * an artifact never pairs a zip with a statement about other bytes. None when the file has no
     * statement.
     */
    private static List<OuterZip.Inner> provenanceOf(Path file) {
        Path statement = ProvenanceStatement.pathFor(file);
        if (!Files.isRegularFile(statement)) return List.of();
        try {
            ProvenanceStatement.checkBeside(
                    file, scorerci.core.Digests.hex(scorerci.core.Digests.sha256(file)));
        } catch (IOException e) {
            throw PipelineException.prerequisite("cannot read " + file + ": " + e.getMessage());
        }
        return List.of(OuterZip.inspect(statement));
    }

    private Outcome settleExisting(
            ArtifactInfo old,
            OuterZip.Inner inner,
            List<OuterZip.Inner> companions,
            IfExists ifExists) {
        if (ifExists == IfExists.FAIL) {
            throw PipelineException.conflict(
                    "artifact '"
                            + old.name()
                            + "' already exists in "
                            + store.describe()
                            + " (id "
                            + old.id()
                            + ", "
                            + recorded(old)
                            + ") and --if-exists is fail;"
                            + " use a new --tag, or --if-exists skip-if-same / overwrite");
        }
        // equal outer digests settle it; a statement from another run (another builder) differs, so
        // then the
        // existing artifact's bootstrap.zip is compared: same bytes, same build, nothing to upload
        OuterZip.Digests digests = OuterZip.digestOf(inner, companions);
        String expected = digests.sha256Hex();
        String oldInner =
                expected.equals(old.digest())
                        ? digests.innerSha256Hex()
                        : entryDigest(old, inner.entryName());
        if (digests.innerSha256Hex().equals(oldInner)) {
            log.info(
                    "artifact '"
                            + old.name()
                            + "' already exists with the same "
                            + inner.entryName()
                            + " (sha256:"
                            + digests.innerSha256Hex()
                            + "); nothing to upload");
            return new Outcome(old, digests.innerSha256Hex(), true, false);
        }
        String theirs =
                oldInner != null
                        ? "its " + inner.entryName() + " is sha256:" + oldInner
                        : old.digest() != null
                                ? "stored as "
                                        + recorded(old)
                                        + ", holding no readable "
                                        + inner.entryName()
                                : "it holds no readable "
                                        + inner.entryName()
                                        + " and the store recorded no digest";
        throw PipelineException.conflict(
                "artifact '"
                        + old.name()
                        + "' already exists in "
                        + store.describe()
                        + " with different content ("
                        + theirs
                        + "; this upload's "
                        + inner.entryName()
                        + " is sha256:"
                        + digests.innerSha256Hex()
                        + "); artifacts are immutable: use a new --tag/--name, or --if-exists"
                        + " overwrite to replace it");
    }

    /**
     * The stored digest, or words saying there is none (act's artifact server, for one, records
     * none).
     */
    private static String recorded(ArtifactInfo artifact) {
        return artifact.digest() == null ? "no recorded digest" : artifact.prefixedDigest();
    }

    /**
     * SHA-256 of the named entry inside an existing artifact of another producer; null if absent.
     */
    private String entryDigest(ArtifactInfo old, String entryName) {
        Path temp = null;
        try {
            temp = Files.createTempFile("artifact-compare-", ".zip");
            HttpTransfer.Downloaded got = store.download(old, temp, meters.apply(old.size()));
            if (old.digest() != null && !old.digest().equals(got.sha256Hex())) return null;
            try (InputStream in = Files.newInputStream(temp)) {
                return OuterZip.entryDigest(in, entryName);
            }
        } catch (IOException e) {
            log.warn(
                    "could not read the existing artifact to compare ("
                            + e.getMessage()
                            + "); treating it as different");
            return null;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    log.detail("could not delete " + temp + ": " + e.getMessage());
                }
            }
        }
    }
}
