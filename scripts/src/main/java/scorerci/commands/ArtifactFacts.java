package scorerci.commands;

import java.util.List;
import scorerci.core.Actions;
import scorerci.core.Log;

/**
 * How upload-artifact and download-artifact report the artifact itself: "key: value" lines and step
 * outputs.
 */
final class ArtifactFacts {
    private ArtifactFacts() {}

    static void print(Log log, long id, String name, long size, String digest) {
        log.result("artifact-id: " + id);
        log.result("artifact-name: " + name);
        log.result("size: " + size);
        log.result("digest: " + digest);
    }

    static void outputs(Actions actions, long id, String name, long size, String digest) {
        actions.output("artifact-id", Long.toString(id));
        actions.output("artifact-name", name);
        actions.output("size", Long.toString(size));
        actions.output("digest", digest);
    }

    /** The job summary's table of one artifact; {@code path} only for a download. */
    static void summary(
            Actions actions,
            String title,
            long id,
            String name,
            long size,
            String digest,
            String path) {
        List<String> header =
                new java.util.ArrayList<>(List.of("artifact", "id", "size", "digest"));
        List<String> row =
                new java.util.ArrayList<>(
                        List.of(name, Long.toString(id), Long.toString(size), digest));
        if (path != null) {
            header.add("path");
            row.add(path);
        }
        actions.summaryTable(title, header, List.of(row));
    }
}
