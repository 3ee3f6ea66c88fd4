package scorerci.commands;

import picocli.CommandLine.Option;
import scorerci.artifacts.ArtifactName;
import scorerci.artifacts.ArtifactTag;
import scorerci.core.BuildTag;
import scorerci.core.Context;

/**
 * Which artifact and which store (picocli mixin shared by upload-artifact and download-artifact):
 * --name, --tag, --store. Both commands name the artifact by the same rule.
 */
public class ArtifactOptions {
    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Artifact name (default: rust-scorer-<tag>.zip).")
    String name;

    @Option(
            names = "--tag",
            paramLabel = "TAG",
            description = "Tag in the default name (default: short SHA of HEAD).")
    String tag;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            description =
                    "Use this local artifact store directory instead of GitHub (default outside Actions: $SCORER_ARTIFACT_STORE or <repo>/.artifact-store).")
    String store;

    /**
     * --name, else rust-scorer-&lt;--tag or HEAD's short SHA&gt;.zip; a name the service would
     * refuse is a USAGE error.
     */
    String artifactName(Context ctx) {
        return ArtifactName.validate(
                name != null
                        ? name
                        : ArtifactName.defaultFor(
                                tag != null
                                        ? BuildTag.check(tag)
                                        : ArtifactTag.defaultTag(ctx.workDir(), ctx.env())));
    }
}
