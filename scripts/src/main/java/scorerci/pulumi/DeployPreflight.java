package scorerci.pulumi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The checks `deploy` makes before it changes anything: the Pulumi CLI, the Pulumi project, AWS
 * credentials, a Pulumi login (which names the backend) and, for a passphrase-encrypted stack, the
 * passphrase. Each failure is one PREREQUISITE line naming the fix. Only the login check may run
 * pulumi, and only the read-only `pulumi whoami`. The zip itself is checked by {@link #verifiedZip}
 * (VERIFICATION when it is not a valid scorer zip).
 */
public final class DeployPreflight {
    /** Values that must never reach a log: masked in Actions, redacted in our own messages. */
    public static final List<String> SECRET_VARIABLES =
            List.of(
                    "PULUMI_ACCESS_TOKEN",
                    "PULUMI_CONFIG_PASSPHRASE",
                    "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY",
                    "AWS_SESSION_TOKEN");

    private DeployPreflight() {}

    /**
     * The zip to deploy, verified as a Lambda zip holding the entries the repository's
     * scorer/Cargo.toml declares ({@link DeclaredEntries}; the repository is the one holding
     * infra/), and, when the build's provenance statement lies beside it, the zip that statement is
     * about.
     */
    public static VerifiedZip verifiedZip(Path zip, Path repository) {
        DeclaredEntries declared =
                DeclaredEntries.findFrom(repository)
                        .orElseThrow(
                                () ->
                                        PipelineException.prerequisite(
                                                "no "
                                                        + DeclaredEntries.CRATE_DIR
                                                        + "/Cargo.toml in "
                                                        + repository
                                                        + " or above: deploy runs in a checkout"
                                                        + " of the repository (its [package.metadata.lambda.build] include lists what the zip must hold)"));
        VerifiedZip verified =
                ZipVerifier.verify(
                        zip, ZipRules.defaults().withRequiredEntries(declared.required()));
        ProvenanceStatement.checkBeside(
                zip, verified.sha256Hex()); // the build's statement, when it came along
        return verified;
    }

    /** The pulumi executable on the given PATH (the child's PATH, not this JVM's). */
    public static Path pulumiBinary(Map<String, String> env) {
        Path pulumi = ExternalProcess.locate("pulumi", env);
        if (pulumi == null) {
            throw PipelineException.prerequisite(
                    "pulumi is not on PATH: install the Pulumi CLI "
                            + "(curl -fsSL https://get.pulumi.com | sh, or brew install pulumi; in GitHub Actions "
                            + "`uses: pulumi/actions@v6` installs it) and make sure `pulumi version` runs");
        }
        return pulumi;
    }

    /**
     * infra/aws must hold the Pulumi project (Pulumi.yaml), and, for a Node.js program (infra/aws
     * is one), infra/ its package.json. Other runtimes (the YAML test program) need no npm.
     */
    public static void project(DeployRequest request) {
        Path project = request.projectDir();
        if (!Files.isRegularFile(project.resolve("Pulumi.yaml"))
                && !Files.isRegularFile(project.resolve("Pulumi.yml"))) {
            throw PipelineException.notFound(
                    project.resolve("Pulumi.yaml")
                            + " not found: --infra must name the "
                            + "directory whose aws/ subdirectory is the Pulumi project (run from the repository root for infra/)");
        }
        Path infra = request.infraDir();
        if (isNodeProject(project) && !Files.isRegularFile(infra.resolve("package.json"))) {
            throw PipelineException.notFound(
                    infra.resolve("package.json")
                            + " not found: run from the repository "
                            + "root or pass --infra DIR (the directory holding package.json and aws/Pulumi.yaml)");
        }
    }

    /**
     * Whether Pulumi.yaml says runtime nodejs (plain, or as runtime: {name: nodejs}); unreadable
     * counts as yes.
     */
    public static boolean isNodeProject(Path projectDir) {
        Path file =
                Files.isRegularFile(projectDir.resolve("Pulumi.yaml"))
                        ? projectDir.resolve("Pulumi.yaml")
                        : projectDir.resolve("Pulumi.yml");
        try {
            String text = Files.readString(file);
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile(
                                    "(?m)^runtime:\\s*(?:[\"']?([A-Za-z]+)[\"']?\\s*$|\\R(?:\\s+.*\\R)*?\\s+name:\\s*[\"']?([A-Za-z]+))")
                            .matcher(text);
            if (!m.find()) return true;
            String runtime = m.group(1) != null ? m.group(1) : m.group(2);
            return runtime.equals("nodejs");
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * How Pulumi's AWS provider will authenticate; fails if no source of credentials is visible.
     */
    public static String awsCredentials(Map<String, String> env) {
        boolean key = set(env, "AWS_ACCESS_KEY_ID");
        boolean secret = set(env, "AWS_SECRET_ACCESS_KEY");
        if (key && secret) return "AWS access keys from the environment";
        if (key || secret) {
            throw PipelineException.prerequisite(
                    (key
                                    ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                    : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
                            + ": set both (from the CI secrets), "
                            + "or use AWS_PROFILE");
        }
        if (set(env, "AWS_PROFILE")) return "AWS profile " + env.get("AWS_PROFILE");
        if (set(env, "AWS_WEB_IDENTITY_TOKEN_FILE") && set(env, "AWS_ROLE_ARN")) {
            return "AWS web identity for " + env.get("AWS_ROLE_ARN");
        }
        if (set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")
                || set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
            return "AWS container credentials";
        }
        Path shared = sharedCredentialsFile(env);
        if (shared != null && hasDefaultProfile(shared)) return "AWS default profile in " + shared;
        throw PipelineException.prerequisite(
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                        + "(CI secrets, or aws-actions/configure-aws-credentials), AWS_PROFILE, or AWS_ROLE_ARN with "
                        + "AWS_WEB_IDENTITY_TOKEN_FILE");
    }

    /**
     * Who deploys, to which backend (that decides the stack's name and whether a passphrase is
     * needed).
     */
    public record Login(String description, PulumiBackend backend) {}

    /**
     * A token or a backend URL in the environment is taken as is (pulumi reports a bad one at
     * `stack select`); otherwise `pulumi whoami --json` must find a saved login, and names its
     * backend.
     */
    public static Login pulumiLogin(Map<String, String> env, PulumiCli pulumi) {
        PulumiBackend named = PulumiBackend.fromEnvironment(env);
        if (named != null) {
            return new Login(
                    set(env, "PULUMI_BACKEND_URL")
                            ? named.describe()
                            : "Pulumi Cloud token from PULUMI_ACCESS_TOKEN",
                    named);
        }
        ExternalProcess.Result whoami =
                pulumi.run(line -> {}, "whoami", "--json", "--non-interactive");
        if (whoami.ok()) {
            try {
                JsonNode who =
                        new ObjectMapper()
                                .readTree(
                                        whoami.output()
                                                .substring(
                                                        Math.max(0, whoami.output().indexOf('{'))));
                String url = who.path("url").asText("");
                PulumiBackend backend =
                        PulumiBackend.of(url.isEmpty() ? PulumiBackend.CLOUD_URL : url);
                return new Login(
                        "Pulumi login of "
                                + who.path("user").asText("?")
                                + " at "
                                + backend.describe(),
                        backend);
            } catch (IOException | RuntimeException e) {
                throw PipelineException.toolFailed(
                        "pulumi whoami --json printed no JSON object (is `pulumi` the Pulumi "
                                + "CLI, version 3?): "
                                + PulumiCli.reason(whoami.output()));
            }
        }
        throw PipelineException.prerequisite(
                "not logged in to Pulumi: set PULUMI_ACCESS_TOKEN (app.pulumi.com → "
                        + "Personal access tokens; in CI a secret), run `pulumi login`, or set PULUMI_BACKEND_URL for a "
                        + "self-managed backend (pulumi whoami said: "
                        + PulumiCli.reason(whoami.output())
                        + ")");
    }

    /**
     * A stack encrypted with a passphrase (every stack of a self-managed backend unless its
     * Pulumi.&lt;stack&gt;.yaml names another secretsprovider, or one that says passphrase) needs
     * PULUMI_CONFIG_PASSPHRASE or a readable PULUMI_CONFIG_PASSPHRASE_FILE. Checked before anything
     * changes, so that the real CLI does not fail late, after npm ci, half way into the stack.
     *
     * @return how the passphrase is given, or null when none is needed
     */
    public static String passphrase(
            Map<String, String> env, PulumiBackend backend, DeployRequest request) {
        String provider =
                secretsProvider(
                        request.projectDir()
                                .resolve("Pulumi." + request.stackShortName() + ".yaml"));
        boolean needed =
                provider == null ? backend.selfManaged() : provider.startsWith("passphrase");
        if (!needed) return null;
        if (env.containsKey("PULUMI_CONFIG_PASSPHRASE"))
            return "passphrase from PULUMI_CONFIG_PASSPHRASE";
        String file = env.get("PULUMI_CONFIG_PASSPHRASE_FILE");
        if (file != null && !file.isBlank()) {
            if (Files.isRegularFile(Path.of(file)) && Files.isReadable(Path.of(file))) {
                return "passphrase from PULUMI_CONFIG_PASSPHRASE_FILE";
            }
            throw PipelineException.prerequisite(
                    "PULUMI_CONFIG_PASSPHRASE_FILE names "
                            + file
                            + ", which is not a "
                            + "readable file: point it at the file holding the stack's passphrase");
        }
        throw PipelineException.prerequisite(
                "stack "
                        + request.stack()
                        + " on the "
                        + backend.describe()
                        + " is "
                        + "encrypted with a passphrase, but neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE "
                        + "is set: set one (in CI from a secret); nothing was changed");
    }

    /** The secretsprovider line of a stack file, or null if the file or the line is absent. */
    static String secretsProvider(Path stackFile) {
        if (!Files.isRegularFile(stackFile)) return null;
        try {
            for (String line : Files.readAllLines(stackFile)) {
                if (line.startsWith("secretsprovider:")) {
                    return line.substring("secretsprovider:".length())
                            .strip()
                            .replaceAll("^[\"']|[\"']$", "");
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static Path sharedCredentialsFile(Map<String, String> env) {
        if (set(env, "AWS_SHARED_CREDENTIALS_FILE"))
            return Path.of(env.get("AWS_SHARED_CREDENTIALS_FILE"));
        return set(env, "HOME") ? Path.of(env.get("HOME"), ".aws", "credentials") : null;
    }

    private static boolean hasDefaultProfile(Path file) {
        try {
            return Files.isRegularFile(file)
                    && Files.readAllLines(file).stream()
                            .anyMatch(l -> l.strip().equals("[default]"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean set(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
