package scorerci.commands;

import java.util.ArrayList;
import java.util.List;
import scorerci.artifacts.store.ArtifactInfo;
import scorerci.core.Actions;
import scorerci.core.Log;

/**
 * The artifact itself as upload-artifact and download-artifact report it: a part of both result
 * records (unwrapped into their JSON), with its "key: value" lines, step outputs and summary row.
 */
record ArtifactFacts(long artifactId, String artifactName, long size, String digest) {
    static ArtifactFacts of(ArtifactInfo a) {
        return new ArtifactFacts(a.id(), a.name(), a.size(), a.prefixedDigest());
    }

    void print(Log log) {
        log.result("artifact-id: " + artifactId);
        log.result("artifact-name: " + artifactName);
        log.result("size: " + size);
        log.result("digest: " + digest);
    }

    void outputs(Actions actions) {
        actions.output("artifact-id", Long.toString(artifactId));
        actions.output("artifact-name", artifactName);
        actions.output("size", Long.toString(size));
        actions.output("digest", digest);
    }

    /** The job summary's table of this artifact; {@code path} only for a download. */
    void summary(Actions actions, String title, String path) {
        List<String> header = new ArrayList<>(List.of("artifact", "id", "size", "digest"));
        List<String> row =
                new ArrayList<>(
                        List.of(
                                artifactName,
                                Long.toString(artifactId),
                                Long.toString(size),
                                digest));
        if (path != null) {
            header.add("path");
            row.add(path);
        }
        actions.summaryTable(title, header, List.of(row));
    }
}
