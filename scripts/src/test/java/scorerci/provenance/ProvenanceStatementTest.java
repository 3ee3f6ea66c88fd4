package scorerci.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.core.PipelineException;

/**
 * bootstrap.zip.intoto.json: its shape (in-toto Statement v1, SLSA Provenance v1), its builder, its
 * check.
 */
class ProvenanceStatementTest {
    private static final String SHA = "a".repeat(64);
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir Path dir;

    private static ProvenanceStatement.Facts facts(ProvenanceStatement.Builder builder) {
        return new ProvenanceStatement.Facts(
                "bootstrap.zip",
                SHA,
                "rust-scorer",
                "0.1.0",
                COMMIT,
                "b".repeat(64),
                "system",
                "aarch64-unknown-linux-gnu",
                Map.of("rustc", "rustc 1.96.0", "cargo", "cargo 1.96.0"),
                List.of(
                        "--remap-path-prefix=$CRATE_DIR=/build/rust-scorer",
                        "-Ctarget-cpu=neoverse-n1"),
                "1700000000",
                "2.34",
                builder);
    }

    @Test
    void aWorkflowBuildNamesTheRunAndTheSourceAsSlsaAsks() throws Exception {
        ProvenanceStatement.Builder builder =
                ProvenanceStatement.Builder.fromEnv(
                        Map.of(
                                "GITHUB_ACTIONS",
                                "true",
                                "GITHUB_SERVER_URL",
                                "https://github.com",
                                "GITHUB_REPOSITORY",
                                "passportxyz/passport-scorer",
                                "GITHUB_RUN_ID",
                                "123456789",
                                "GITHUB_RUN_ATTEMPT",
                                "2",
                                "GITHUB_REF",
                                "refs/heads/main",
                                "GITHUB_WORKFLOW_REF",
                                "passportxyz/passport-scorer/.github/workflows/build.yml@refs/heads/main"));
        JsonNode s = new ObjectMapper().readTree(ProvenanceStatement.render(facts(builder)));
        assertThat(s.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(s.path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(s.at("/subject/0/name").asText()).isEqualTo("bootstrap.zip");
        assertThat(s.at("/subject/0/digest/sha256").asText()).isEqualTo(SHA);
        JsonNode def = s.at("/predicate/buildDefinition");
        assertThat(def.path("buildType").asText()).isEqualTo(ProvenanceStatement.BUILD_TYPE);
        assertThat(def.at("/externalParameters/sourceDateEpoch").asText()).isEqualTo("1700000000");
        assertThat(def.at("/externalParameters/toolchain").asText()).isEqualTo("system");
        assertThat(def.at("/internalParameters/toolchainVersions/rustc").asText())
                .isEqualTo("rustc 1.96.0");
        assertThat(def.at("/resolvedDependencies/0/uri").asText())
                .isEqualTo("git+https://github.com/passportxyz/passport-scorer@refs/heads/main");
        assertThat(def.at("/resolvedDependencies/0/digest/gitCommit").asText()).isEqualTo(COMMIT);
        assertThat(def.at("/resolvedDependencies/1/name").asText()).isEqualTo("Cargo.lock");
        assertThat(s.at("/predicate/runDetails/builder/id").asText())
                .isEqualTo(
                        "https://github.com/passportxyz/passport-scorer/.github/workflows/build.yml@refs/heads/main");
        assertThat(s.at("/predicate/runDetails/metadata/invocationId").asText())
                .isEqualTo(
                        "https://github.com/passportxyz/passport-scorer/actions/runs/123456789/attempts/2");
    }

    @Test
    void aLocalBuildIsDeterministicAndHostileEnvironmentValuesStayOut() throws Exception {
        ProvenanceStatement.Builder local =
                ProvenanceStatement.Builder.fromEnv(Map.of("HOME", "/home/dev"));
        assertThat(local.id()).isEqualTo(ProvenanceStatement.LOCAL_BUILDER);
        assertThat(ProvenanceStatement.render(facts(local)))
                .isEqualTo(ProvenanceStatement.render(facts(local)));
        assertThat(new String(ProvenanceStatement.render(facts(local))))
                .doesNotContain("invocationId", "/home/dev");

        ProvenanceStatement.Builder hostile =
                ProvenanceStatement.Builder.fromEnv(
                        Map.of(
                                "GITHUB_ACTIONS",
                                "true",
                                "GITHUB_SERVER_URL",
                                "https://github.com",
                                "GITHUB_REPOSITORY",
                                "o/r",
                                "GITHUB_RUN_ID",
                                "1",
                                "GITHUB_REF",
                                "refs/heads/x\n::error::owned",
                                "GITHUB_WORKFLOW_REF",
                                "\"},{\"evil\":1"));
        String json = new String(ProvenanceStatement.render(facts(hostile)));
        assertThat(json).doesNotContain("::error::", "evil");
        assertThat(hostile.sourceUri()).isEqualTo("git+https://github.com/o/r");
    }

    @Test
    void theCheckAcceptsTheZipItDescribesAndNamesBothDigestsOtherwise() throws Exception {
        Path zip = Files.writeString(dir.resolve("bootstrap.zip"), "zip bytes");
        assertThat(ProvenanceStatement.checkBeside(zip, SHA))
                .isEmpty(); // no statement: nothing to check
        Path written =
                ProvenanceStatement.write(
                        zip, facts(ProvenanceStatement.Builder.fromEnv(Map.of())));
        assertThat(written).isEqualTo(dir.resolve("bootstrap.zip.intoto.json"));
        assertThat(ProvenanceStatement.checkBeside(zip, SHA)).contains(SHA);
        String other = "c".repeat(64);
        assertThatThrownBy(() -> ProvenanceStatement.checkBeside(zip, other))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining(
                        "is about sha256:" + SHA + " but bootstrap.zip hashes to sha256:" + other)
                .hasMessageContaining("describes another build")
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.VERIFICATION);
        Files.writeString(written, "{\"_type\": \"something else\"}");
        assertThatThrownBy(() -> ProvenanceStatement.checkBeside(zip, SHA))
                .hasMessageContaining("is not a provenance statement");
        Files.writeString(written, "not json");
        assertThatThrownBy(() -> ProvenanceStatement.checkBeside(zip, SHA))
                .hasMessageContaining("it is not JSON");
    }
}
