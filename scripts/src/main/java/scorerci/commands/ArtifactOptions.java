package scorerci.commands;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.artifacts.ArtifactName;
import scorerci.core.Context;

/**
 * Which artifact and which store (picocli mixin shared by upload-artifact and download-artifact):
 * --name, --tag (BuildTagOption), --store. Both commands name the artifact by the same rule.
 */
public class ArtifactOptions {
    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Artifact name (default: rust-scorer-<tag>.zip).")
    String name;

    @Mixin BuildTagOption tag;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            description =
                    "Use this local artifact store directory instead of GitHub (default outside Actions: $SCORER_ARTIFACT_STORE or <repo>/.artifact-store).")
    String store;

    /**
     * --name, else rust-scorer-&lt;--tag or its default&gt;.zip; a name the service would refuse is
     * a USAGE error. --tag is checked even beside --name.
     */
    String artifactName(Context ctx) {
        if (name != null) {
            tag.given();
            return ArtifactName.validate(name);
        }
        return ArtifactName.validate(ArtifactName.defaultFor(tag.resolve(ctx).value()));
    }
}
