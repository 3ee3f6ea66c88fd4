package scorerci.pulumi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;
import scorerci.provenance.ProvenanceStatement;
import scorerci.zip.DeclaredEntries;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * The checks `deploy` makes before it changes anything: the Pulumi CLI, the Pulumi project,
 * AWS credentials and a Pulumi login. Each failure is one PREREQUISITE line naming the fix.
 * Only the login check may run pulumi, and only the read-only `pulumi whoami`. The zip itself is
 * checked by {@link #verifiedZip} (VERIFICATION when it is not a valid scorer zip).
 */
public final class DeployPreflight {
    /** Values that must never reach a log: masked in Actions, redacted in our own messages. */
    public static final List<String> SECRET_VARIABLES = List.of(
            "PULUMI_ACCESS_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

    private DeployPreflight() {}

    /**
     * The zip to deploy, verified as a Lambda zip holding the entries the repository's scorer/Cargo.toml
     * declares ({@link DeclaredEntries}; the repository is the one holding infra/), and, when the build's
     * provenance statement lies beside it, the zip that statement is about.
     */
    public static VerifiedZip verifiedZip(Path zip, Path repository) {
        DeclaredEntries declared = DeclaredEntries.findFrom(repository).orElseThrow(() -> PipelineException.prerequisite(
                "no " + DeclaredEntries.CRATE_DIR + "/Cargo.toml in " + repository + " or above: deploy runs in a checkout"
                        + " of the repository (its [package.metadata.lambda.build] include lists what the zip must hold)"));
        VerifiedZip verified = ZipVerifier.verify(zip, ZipRules.defaults().withRequiredEntries(declared.required()));
        ProvenanceStatement.checkBeside(zip, verified.sha256Hex()); // the build's statement, when it came along
        return verified;
    }

    /** The pulumi executable on the given PATH (the child's PATH, not this JVM's). */
    public static Path pulumiBinary(Map<String, String> env) {
        Path pulumi = ExternalProcess.locate("pulumi", env);
        if (pulumi == null) {
            throw PipelineException.prerequisite("pulumi is not on PATH: install the Pulumi CLI "
                    + "(curl -fsSL https://get.pulumi.com | sh, or brew install pulumi; in GitHub Actions "
                    + "`uses: pulumi/actions@v6` installs it) and make sure `pulumi version` runs");
        }
        return pulumi;
    }

    /** infra/aws must hold the Pulumi project (Pulumi.yaml) and infra/ its package.json. */
    public static void project(DeployRequest request) {
        Path infra = request.infraDir();
        if (!Files.isRegularFile(infra.resolve("package.json"))) {
            throw PipelineException.notFound(infra.resolve("package.json") + " not found: run from the repository "
                    + "root or pass --infra DIR (the directory holding package.json and aws/Pulumi.yaml)");
        }
        Path project = request.projectDir();
        if (!Files.isRegularFile(project.resolve("Pulumi.yaml")) && !Files.isRegularFile(project.resolve("Pulumi.yml"))) {
            throw PipelineException.notFound(project.resolve("Pulumi.yaml") + " not found: --infra must name the "
                    + "directory whose aws/ subdirectory is the Pulumi project");
        }
    }

    /** How Pulumi's AWS provider will authenticate; fails if no source of credentials is visible. */
    public static String awsCredentials(Map<String, String> env) {
        boolean key = set(env, "AWS_ACCESS_KEY_ID");
        boolean secret = set(env, "AWS_SECRET_ACCESS_KEY");
        if (key && secret) return "AWS access keys from the environment";
        if (key || secret) {
            throw PipelineException.prerequisite((key ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                    : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") + ": set both (from the CI secrets), "
                    + "or use AWS_PROFILE");
        }
        if (set(env, "AWS_PROFILE")) return "AWS profile " + env.get("AWS_PROFILE");
        if (set(env, "AWS_WEB_IDENTITY_TOKEN_FILE") && set(env, "AWS_ROLE_ARN")) {
            return "AWS web identity for " + env.get("AWS_ROLE_ARN");
        }
        if (set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") || set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
            return "AWS container credentials";
        }
        Path shared = sharedCredentialsFile(env);
        if (shared != null && hasDefaultProfile(shared)) return "AWS default profile in " + shared;
        throw PipelineException.prerequisite("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                + "(CI secrets, or aws-actions/configure-aws-credentials), AWS_PROFILE, or AWS_ROLE_ARN with "
                + "AWS_WEB_IDENTITY_TOKEN_FILE");
    }

    /**
     * A token or a self-managed backend in the environment is taken as is (pulumi reports a bad one
     * at `stack select`); otherwise `pulumi whoami` must find a saved login.
     */
    public static String pulumiLogin(Map<String, String> env, PulumiCli pulumi) {
        if (set(env, "PULUMI_ACCESS_TOKEN")) return "Pulumi Cloud token from PULUMI_ACCESS_TOKEN";
        if (set(env, "PULUMI_BACKEND_URL")) return "Pulumi backend " + env.get("PULUMI_BACKEND_URL");
        ExternalProcess.Result whoami = pulumi.run(line -> {}, "whoami", "--non-interactive");
        if (whoami.ok()) return "Pulumi login of " + whoami.output().strip();
        throw PipelineException.prerequisite("not logged in to Pulumi: set PULUMI_ACCESS_TOKEN (app.pulumi.com → "
                + "Personal access tokens; in CI a secret), run `pulumi login`, or set PULUMI_BACKEND_URL for a "
                + "self-managed backend (pulumi whoami said: " + PulumiCli.reason(whoami.output()) + ")");
    }

    private static Path sharedCredentialsFile(Map<String, String> env) {
        if (set(env, "AWS_SHARED_CREDENTIALS_FILE")) return Path.of(env.get("AWS_SHARED_CREDENTIALS_FILE"));
        return set(env, "HOME") ? Path.of(env.get("HOME"), ".aws", "credentials") : null;
    }

    private static boolean hasDefaultProfile(Path file) {
        try {
            return Files.isRegularFile(file) && Files.readAllLines(file).stream().anyMatch(l -> l.strip().equals("[default]"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean set(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
