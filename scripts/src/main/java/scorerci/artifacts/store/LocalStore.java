package scorerci.artifacts.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import scorerci.core.Digests;
import scorerci.core.PipelineException;
import scorerci.core.TempFiles;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;

/**
 * A directory standing in for the artifact service outside GitHub Actions, with the same rules:
 * names are immutable, each artifact is the same v4 zip with a recorded SHA-256, artifacts expire.
 * Layout: {@code <store>/<name>/artifact.zip} and {@code <store>/<name>/artifact.json} (id, name,
 * size, digest, created_at, expires_at). An upload is staged in {@code
 * <store>/.upload.scorer-tmp-<pid>-*} ({@link TempFiles}: removed on SIGTERM, swept after a
 * SIGKILL) and appears by one atomic directory rename, so a crash never leaves a half artifact and
 * two concurrent uploads of one name cannot both win.
 */
public final class LocalStore implements ArtifactStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZIP = "artifact.zip";
    private static final String META = "artifact.json";

    private final Path root;

    public LocalStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return "local store " + root;
    }

    @Override
    public List<ArtifactInfo> list() {
        if (!Files.isDirectory(root)) return List.of();
        List<ArtifactInfo> result = new ArrayList<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(
                        root,
                        p ->
                                !p.getFileName().toString().startsWith(".staging-")
                                        && !TempFiles.isTemporary(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                Path meta = dir.resolve(META);
                if (Files.isRegularFile(meta)) result.add(read(meta));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        result.sort(Comparator.comparing(ArtifactInfo::name));
        return result;
    }

    @Override
    public ArtifactInfo upload(String name, Instant expiresAt, Body body, ProgressMeter meter) {
        Path staging = null;
        try {
            // like CreateArtifact: a taken name is refused before any byte is written
            if (Files.exists(root.resolve(name))) throw taken(name, "");
            Files.createDirectories(root);
            staging = TempFiles.createDirectory(root, "upload");
            MessageDigest sha = Digests.sha256();
            long size;
            try (CountingOutput counter =
                            new CountingOutput(Files.newOutputStream(staging.resolve(ZIP)), meter);
                    DigestOutputStream out = new DigestOutputStream(counter, sha)) {
                body.writeTo(out);
                out.flush();
                size = counter.count;
            }
            ArtifactInfo info =
                    new ArtifactInfo(
                            nextId(),
                            name,
                            size,
                            Digests.hex(sha.digest()),
                            Instant.now(),
                            expiresAt,
                            false,
                            null);
            write(info, staging.resolve(META));
            try {
                Files.move(staging, root.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("staging and store are on one file system", e);
            } catch (java.nio.file.FileSystemException e) {
                // rename(2) onto a non-empty directory: ENOTEMPTY/EEXIST, which Java reports as
                // DirectoryNotEmptyException, FileAlreadyExistsException or (Linux) a plain
                // FileSystemException "Directory not empty". Whatever the form: did another
                // upload of the same name land first?
                if (!Files.isDirectory(root.resolve(name))) throw e;
                ArtifactInfo winner = read(root.resolve(name).resolve(META));
                if (info.digest().equals(winner.digest()))
                    return winner; // same bytes: the same artifact, done
                throw PipelineException.conflict(
                        "artifact '"
                                + name
                                + "' already exists in "
                                + describe()
                                + " with other content (uploaded concurrently, "
                                + winner.prefixedDigest()
                                + "); use another --tag/--name");
            }
            TempFiles.release(staging);
            staging = null;
            return info;
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot write to "
                            + describe()
                            + ": "
                            + e.getMessage()
                            + "; pass a writable --store DIR");
        } finally {
            if (staging != null) TempFiles.delete(staging);
        }
    }

    private PipelineException taken(String name, String how) {
        return PipelineException.conflict(
                "artifact '" + name + "' already exists in " + describe() + how);
    }

    @Override
    public void delete(ArtifactInfo artifact) {
        Path dir = root.resolve(artifact.name());
        if (!Files.isDirectory(dir)) return;
        // rename first so readers never see a half-deleted artifact
        Path doomed = root.resolve(".staging-deleted-" + UUID.randomUUID());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot delete artifact '"
                            + artifact.name()
                            + "' from "
                            + describe()
                            + ": "
                            + e.getMessage());
        }
        deleteTree(doomed);
    }

    @Override
    public <T> T stream(
            ArtifactInfo artifact, ProgressMeter meter, HttpTransfer.BodyReader<T> reader) {
        try (InputStream in =
                new MeteredInput(
                        Files.newInputStream(root.resolve(artifact.name()).resolve(ZIP)), meter)) {
            return reader.read(in);
        } catch (IOException e) {
            throw PipelineException.notFound(
                    "cannot read artifact '"
                            + artifact.name()
                            + "' from "
                            + describe()
                            + ": "
                            + e.getMessage()
                            + "; upload it again");
        }
    }

    private long nextId() {
        return list().stream().mapToLong(ArtifactInfo::id).max().orElse(0) + 1;
    }

    private static ArtifactInfo read(Path meta) {
        try {
            JsonNode n = JSON.readTree(meta.toFile());
            String expires = n.path("expires_at").asText(null);
            Instant expiresAt =
                    expires == null || expires.isEmpty() ? null : Instant.parse(expires);
            return new ArtifactInfo(
                    n.path("id").asLong(),
                    n.path("name").asText(),
                    n.path("size").asLong(),
                    ArtifactInfo.bareDigest(n.path("digest").asText(null)),
                    Instant.parse(n.path("created_at").asText()),
                    expiresAt,
                    expiresAt != null && expiresAt.isBefore(Instant.now()),
                    null);
        } catch (IOException | RuntimeException e) {
            throw PipelineException.verification(
                    "the local artifact record "
                            + meta
                            + " is unreadable ("
                            + e.getMessage()
                            + "); delete that artifact directory and upload again");
        }
    }

    private static void write(ArtifactInfo info, Path meta) throws IOException {
        ObjectNode n =
                JSON.createObjectNode()
                        .put("id", info.id())
                        .put("name", info.name())
                        .put("size", info.size())
                        .put("digest", info.prefixedDigest())
                        .put("created_at", info.createdAt().toString());
        if (info.expiresAt() != null) n.put("expires_at", info.expiresAt().toString());
        JSON.writerWithDefaultPrettyPrinter().writeValue(meta.toFile(), n);
    }

    public static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover staging directory is ignored by list()
        }
    }

    private static final class MeteredInput extends java.io.FilterInputStream {
        private final ProgressMeter meter;

        MeteredInput(InputStream in, ProgressMeter meter) {
            super(in);
            this.meter = meter;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) meter.add(n);
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) meter.add(1);
            return b;
        }
    }

    private static final class CountingOutput extends java.io.FilterOutputStream {
        private final ProgressMeter meter;
        long count;

        CountingOutput(OutputStream out, ProgressMeter meter) {
            super(out);
            this.meter = meter;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
            meter.add(len);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
            meter.add(1);
        }
    }
}
