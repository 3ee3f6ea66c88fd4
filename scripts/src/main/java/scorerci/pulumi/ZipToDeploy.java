package scorerci.pulumi;

import java.nio.file.Files;
import java.nio.file.Path;
import scorerci.core.PipelineException;
import scorerci.zip.VerifiedZip;

/**
 * The zip deploy ships: --artifact if it exists, else (with --tag) the build's artifact fetched
 * into the zip's directory first. Fetching is the command's business (it runs download-artifact
 * in-process); this class decides when a fetch is needed and whether it delivered the zip.
 */
final class ZipToDeploy {
    private ZipToDeploy() {}

    static VerifiedZip find(DeployRequest request, DeployFlow.ArtifactDownload download) {
        Path zip = request.artifact();
        if (!Files.exists(zip)) {
            if (request.tag() == null) {
                throw PipelineException.notFound(
                        zip
                                + " not found: pass --tag <short sha> to download the build's "
                                + "artifact, run `jbang download-artifact@. --tag <short sha> --dest "
                                + zip.getParent()
                                + "`, or build it with `jbang build-zip@.`");
            }
            download.download(request.tag(), zip.getParent());
            if (!Files.exists(zip)) {
                throw PipelineException.notFound(
                        "the artifact for --tag "
                                + request.tag()
                                + " was downloaded into "
                                + zip.getParent()
                                + " but holds no "
                                + zip.getFileName()
                                + ": check the build's upload path, or "
                                + "pass --artifact with the downloaded zip");
            }
        }
        return DeployPreflight.verifiedZip(zip, request.infraDir().getParent());
    }
}
