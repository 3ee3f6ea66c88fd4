package scorerci.core;

/**
 * The pipeline's default file locations, spelled once (relative to the repository root, where the
 * commands resolve their defaults): where build-zip leaves the zip, where download-artifact puts
 * the artifact, and the zip deploy, verify-deploy and rollout read from there.
 */
public final class DefaultPaths {
    /** The Lambda crate: build-zip's default --crate. */
    public static final String CRATE_DIR = "scorer";

    /** The infrastructure: package.json, and the Pulumi project in aws/ (deploy's --infra). */
    public static final String INFRA_DIR = "infra";

    /** The Lambda zip's file name, inside the build output and the artifact. */
    public static final String LAMBDA_ZIP = "bootstrap.zip";

    /**
     * build-zip's output for the rust-scorer crate (cargo lambda's layout): upload-artifact's
     * default --file.
     */
    public static final String BUILT_ZIP = "scorer/target/lambda/rust-scorer/" + LAMBDA_ZIP;

    /** download-artifact's default --dest, as the original workflows named it. */
    public static final String ARTIFACT_DIR = "rust-scorer-artifact";

    /** The downloaded zip: deploy's, verify-deploy's and rollout's default --artifact. */
    public static final String DOWNLOADED_ZIP = ARTIFACT_DIR + "/" + LAMBDA_ZIP;

    private DefaultPaths() {}
}
