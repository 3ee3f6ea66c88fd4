package scorerci.commands;

import scorerci.artifacts.store.ArtifactInfo;
import scorerci.core.Actions;
import scorerci.core.Log;

/**
 * How upload-artifact and download-artifact report the artifact itself: "key: value" lines and step
 * outputs.
 */
final class ArtifactFacts {
    private ArtifactFacts() {}

    static void print(Log log, ArtifactInfo a) {
        log.result("artifact-id: " + a.id());
        log.result("artifact-name: " + a.name());
        log.result("size: " + a.size());
        log.result("digest: " + a.prefixedDigest());
    }

    static void outputs(Actions actions, ArtifactInfo a) {
        actions.output("artifact-id", Long.toString(a.id()));
        actions.output("artifact-name", a.name());
        actions.output("size", Long.toString(a.size()));
        actions.output("digest", a.prefixedDigest());
    }
}
