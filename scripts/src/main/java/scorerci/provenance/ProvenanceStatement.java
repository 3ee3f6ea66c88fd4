package scorerci.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import scorerci.core.PipelineException;
import scorerci.files.AtomicFile;

/**
 * {@code bootstrap.zip.intoto.json}, written by build-zip beside the zip: an in-toto Statement v1
 * whose subject is the zip's SHA-256, with a SLSA Provenance v1 predicate saying how it was made
 * (commit, Cargo.lock digest, toolchain route and versions, rustflags, SOURCE_DATE_EPOCH, and the
 * builder: this machine, or the GitHub workflow run from the GITHUB_* variables). upload-artifact
 * carries it inside the artifact; upload, download and deploy check that its subject is the zip
 * beside it ({@link #checkBeside}).
 *
 * <p>No time stamps and no machine paths: a local rebuild of the same inputs writes the same bytes,
 * and the statement, which travels in the artifact, leaks nothing about the build machine. It is
 * unsigned; on GitHub the build job also has actions/attest-build-provenance sign a statement about
 * the same digest.
 */
public final class ProvenanceStatement {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    public static final String BUILD_TYPE = "urn:scorerci:build-zip:v1";
    public static final String LOCAL_BUILDER = "urn:scorerci:builder:local";
    public static final String SUFFIX = ".intoto.json";
    private static final long MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Who built it: a workflow run (ids are URIs built from GITHUB_*), or this machine. */
    public record Builder(String id, String invocationId, String sourceUri) {
        public static Builder fromEnv(Map<String, String> env) {
            String server =
                    match(env.get("GITHUB_SERVER_URL"), "https://[A-Za-z0-9.-]+(:[0-9]{1,5})?");
            String repo =
                    match(
                            env.get("GITHUB_REPOSITORY"),
                            "[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
            String runId = match(env.get("GITHUB_RUN_ID"), "[0-9]{1,20}");
            if (!"true".equals(env.get("GITHUB_ACTIONS"))
                    || server == null
                    || repo == null
                    || runId == null) {
                return new Builder(LOCAL_BUILDER, null, null);
            }
            String attempt = match(env.get("GITHUB_RUN_ATTEMPT"), "[0-9]{1,6}");
            String workflowRef = match(env.get("GITHUB_WORKFLOW_REF"), "[A-Za-z0-9_./@-]{1,400}");
            String ref = match(env.get("GITHUB_REF"), "[A-Za-z0-9_./-]{1,250}");
            return new Builder(
                    workflowRef != null
                            ? server + "/" + workflowRef
                            : server + "/" + repo + "/.github/workflows",
                    server
                            + "/"
                            + repo
                            + "/actions/runs/"
                            + runId
                            + (attempt == null ? "" : "/attempts/" + attempt),
                    "git+" + server + "/" + repo + (ref == null ? "" : "@" + ref));
        }

        /**
         * The value when it has the expected shape; outside input otherwise stays out of the
         * statement.
         */
        private static String match(String value, String regex) {
            return value != null && value.matches(regex) ? value : null;
        }
    }

    /**
     * What the statement says.
     *
     * @param rustflags as recorded (paths replaced by $LABELs)
     * @param sourceDateEpoch SOURCE_DATE_EPOCH as given, or null (entries then carry 1980-01-01)
     */
    public record Facts(
            String zipName,
            String zipSha256,
            String crate,
            String crateVersion,
            String commit,
            String cargoLockSha256,
            String route,
            String target,
            Map<String, String> toolchainVersions,
            List<String> rustflags,
            String sourceDateEpoch,
            String maxGlibc,
            Builder builder) {}

    private ProvenanceStatement() {}

    public static Path pathFor(Path zip) {
        return zip.resolveSibling(zip.getFileName() + SUFFIX);
    }

    /** The statement's JSON (UTF-8, indented, keys in a fixed order, newline at the end). */
    public static byte[] render(Facts facts) {
        ObjectNode root = JSON.createObjectNode();
        root.put("_type", STATEMENT_TYPE);
        ObjectNode subject = root.putArray("subject").addObject();
        subject.put("name", facts.zipName());
        subject.putObject("digest").put("sha256", facts.zipSha256());
        root.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = root.putObject("predicate");
        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        ObjectNode external = definition.putObject("externalParameters");
        external.put("crate", facts.crate() + " " + facts.crateVersion());
        external.put("target", facts.target());
        external.put("toolchain", facts.route());
        external.put("maxGlibc", facts.maxGlibc());
        external.put(
                "sourceDateEpoch",
                facts.sourceDateEpoch()); // null when unset: entries carry 1980-01-01
        ObjectNode internal = definition.putObject("internalParameters");
        ObjectNode versions = internal.putObject("toolchainVersions");
        facts.toolchainVersions().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> versions.put(e.getKey(), e.getValue()));
        ArrayNode flags = internal.putArray("rustflags");
        facts.rustflags().forEach(flags::add);
        ArrayNode dependencies = definition.putArray("resolvedDependencies");
        if (facts.commit() != null) {
            ObjectNode source = dependencies.addObject();
            if (facts.builder().sourceUri() != null) source.put("uri", facts.builder().sourceUri());
            else source.put("name", "source");
            source.putObject("digest").put("gitCommit", facts.commit());
        }
        if (facts.cargoLockSha256() != null) {
            ObjectNode lock = dependencies.addObject();
            lock.put("name", "Cargo.lock");
            lock.putObject("digest").put("sha256", facts.cargoLockSha256());
        }
        ObjectNode run = predicate.putObject("runDetails");
        run.putObject("builder").put("id", facts.builder().id());
        if (facts.builder().invocationId() != null) {
            run.putObject("metadata").put("invocationId", facts.builder().invocationId());
        }
        try {
            return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the provenance statement", e);
        }
    }

    /** Writes the statement beside the zip (atomically; untouched when the bytes are the same). */
    public static Path write(Path zip, Facts facts) throws IOException {
        Path file = pathFor(zip);
        byte[] json = render(facts);
        if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), json)) return file;
        AtomicFile.write(file, AtomicFile.READABLE, temp -> Files.write(temp, json));
        return file;
    }

    /**
     * If a statement lies beside {@code zip}, checks that one of its subjects has the zip's SHA-256
     * and returns that digest; empty when there is none. VERIFICATION when it is unreadable or
     * about other bytes.
     */
    public static Optional<String> checkBeside(Path zip, String zipSha256) {
        return checkBeside(zip, zipSha256, zip.toString());
    }

    /**
     * As {@link #checkBeside(Path, String)}; {@code where} names the zip in messages (e.g. the
     * artifact).
     */
    public static Optional<String> checkBeside(Path zip, String zipSha256, String where) {
        Path file = pathFor(zip);
        if (!Files.isRegularFile(file)) return Optional.empty();
        List<String> subjects = subjectDigests(file);
        if (!subjects.contains(zipSha256)) {
            throw PipelineException.verification(
                    file.getFileName()
                            + " beside "
                            + where
                            + " is about sha256:"
                            + String.join(", sha256:", subjects)
                            + " but "
                            + zip.getFileName()
                            + " hashes to sha256:"
                            + zipSha256
                            + ": the statement describes another build; rebuild with `jbang build-zip@.` or download the"
                            + " artifact again (both files come from the same build)");
        }
        return Optional.of(zipSha256);
    }

    /**
     * The sha256 digests of the statement's subjects (VERIFICATION when it is not an in-toto
     * Statement v1).
     */
    public static List<String> subjectDigests(Path file) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw invalid(file, "it is larger than 1 MiB");
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw invalid(
                    file, "it is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !STATEMENT_TYPE.equals(root.path("_type").asText())) {
            throw invalid(file, "its _type is not " + STATEMENT_TYPE);
        }
        List<String> digests = new ArrayList<>();
        for (JsonNode subject : root.path("subject")) {
            String sha = subject.path("digest").path("sha256").asText("");
            if (sha.matches("[0-9a-f]{64}")) digests.add(sha);
        }
        if (digests.isEmpty()) throw invalid(file, "it has no subject with a sha256 digest");
        return digests;
    }

    private static PipelineException invalid(Path file, String why) {
        return PipelineException.verification(
                file
                        + " is not a provenance statement: "
                        + why
                        + "; rebuild with `jbang build-zip@.`, which writes it beside the zip");
    }
}
