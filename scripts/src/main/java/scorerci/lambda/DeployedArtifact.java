package scorerci.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import scorerci.core.Context;
import scorerci.core.DefaultPaths;
import scorerci.core.PipelineException;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * The local zip a deployed function is compared with: it must exist and pass build-zip's own
 * verification.
 */
public final class DeployedArtifact {
    private DeployedArtifact() {}

    public static VerifiedZip load(Context context, String path) {
        Path zip = context.resolve(path == null ? DefaultPaths.DOWNLOADED_ZIP : path);
        if (!Files.exists(zip)) {
            throw PipelineException.notFound(
                    "no zip at "
                            + zip
                            + " to compare the function with; download the "
                            + "build's artifact into rust-scorer-artifact/ or pass --artifact PATH");
        }
        return ZipVerifier.verify(zip, ZipRules.defaults());
    }
}
