package scorerci.artifacts.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import scorerci.artifacts.store.ArtifactInfo;
import scorerci.artifacts.store.ArtifactStore;
import scorerci.core.PipelineException;
import scorerci.core.SecretRegistry;
import scorerci.net.HttpTransfer;
import scorerci.net.ProgressMeter;
import scorerci.net.Surface;

/**
 * The artifacts of the current workflow run, through the Results service (twirp) and blob storage:
 * the only way to upload, and the way to download within the same run.
 */
public final class ResultsStore implements ArtifactStore {
    private final ResultsClient client;
    private final HttpTransfer http;
    private final int concurrency;

    public ResultsStore(ResultsClient client, HttpTransfer http, int concurrency) {
        this.client = client;
        this.http = http;
        this.concurrency = concurrency;
    }

    @Override
    public String describe() {
        return "this workflow run (Results service)";
    }

    @Override
    public List<ArtifactInfo> list() {
        return client.listArtifacts(null);
    }

    @Override
    public Optional<ArtifactInfo> find(String name) {
        return client.listArtifacts(name).stream()
                .filter(a -> a.name().equals(name))
                .max(java.util.Comparator.comparingLong(ArtifactInfo::id));
    }

    @Override
    public ArtifactInfo upload(String name, Instant expiresAt, Body body, ProgressMeter meter) {
        String url = client.createArtifact(name, expiresAt);
        SecretRegistry.registerSignedUrl(url);
        try {
            URI.create(url);
        } catch (IllegalArgumentException e) { // its message would quote the URL, signature and all
            throw PipelineException.remote(
                    "CreateArtifact returned a malformed upload URL; the Results service answered unexpectedly, rerun later");
        }
        BlockBlobUpload upload =
                new BlockBlobUpload(
                        url,
                        http,
                        concurrency,
                        BlockBlobUpload.BLOCK_SIZE,
                        meter,
                        "application/zip");
        BlockBlobUpload.Result result;
        try {
            body.writeTo(upload);
            result = upload.finish();
        } catch (IOException e) {
            upload.abort();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            upload.abort();
            throw e;
        }
        long id = client.finalizeArtifact(name, result.size(), result.sha256Hex());
        return new ArtifactInfo(
                id,
                name,
                result.size(),
                result.sha256Hex(),
                Instant.now(),
                expiresAt,
                false,
                client.ids());
    }

    @Override
    public void delete(ArtifactInfo artifact) {
        client.deleteArtifact(artifact.name());
    }

    @Override
    public <T> T stream(
            ArtifactInfo artifact, ProgressMeter meter, HttpTransfer.BodyReader<T> reader) {
        String url = client.signedArtifactUrl(artifact.name(), artifact.owner());
        SecretRegistry.registerSignedUrl(url);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) { // its message would quote the URL, signature and all
            throw PipelineException.remote(
                    "GetSignedArtifactURL returned a malformed URL; the Results service answered unexpectedly, rerun later");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())
                && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw PipelineException.remote(
                    "GetSignedArtifactURL returned a URL that is not http(s); the Results service answered unexpectedly");
        }
        // a plain GET: the SAS in the URL is the credential, no Authorization header
        return http.stream(
                Surface.BLOB,
                "download of '" + artifact.name() + "'",
                () ->
                        HttpRequest.newBuilder(uri)
                                .timeout(http.timeout())
                                .header("User-Agent", "scorer-pipeline-artifacts/1.0")
                                .GET()
                                .build(),
                meter,
                reader);
    }
}
