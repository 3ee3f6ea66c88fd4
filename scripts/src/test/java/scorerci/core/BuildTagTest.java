package scorerci.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import scorerci.testing.CommandHarness;

/** One rule for --tag in every command that takes one. */
class BuildTagTest {
    @Test
    void theRuleAcceptsShortShasAndDockerLengthTagsOnly() {
        assertThat(new BuildTag("1a2b3c4").value()).isEqualTo("1a2b3c4");
        assertThat(BuildTag.check("v1.2_rc-3")).isEqualTo("v1.2_rc-3");
        assertThat(BuildTag.check(null)).isNull();
        assertThat(BuildTag.check("x".repeat(BuildTag.MAX_LENGTH))).hasSize(128);
        for (String bad :
                new String[] {
                    "", "a/b", "../x", "a b", "x".repeat(BuildTag.MAX_LENGTH + 1), "t\u0085"
                }) {
            assertThatThrownBy(() -> new BuildTag(bad))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("is not a build tag")
                    .satisfies(
                            e ->
                                    assertThat(((PipelineException) e).exitCode())
                                            .isEqualTo(ExitCode.USAGE));
        }
    }

    @Test
    void everyCommandWithTagRefusesABadTagTheSameWayBeforeDoingAnything() {
        String[][] runs = {
            {"build-zip", "--tag", "a/b"},
            {"upload-artifact", "--tag", "a/b", "--store", "store"},
            {"download-artifact", "--tag", "a/b", "--store", "store"},
            {"ci", "review", "--tag", "a/b", "--skip-tests"},
            {"deploy", "staging", "--preview-only", "--tag", "a/b"},
        };
        for (String[] args : runs) {
            var result = CommandHarness.create().run(args);
            assertThat(result.exitCode())
                    .as(String.join(" ", args) + "\n" + result)
                    .isEqualTo(ExitCode.USAGE.code);
            assertThat(result.err()).as(args[0]).contains("--tag 'a/b' is not a build tag");
        }
    }

    @Test
    void theOneDefaultIsHeadsShortShaThenGithubShaElseExit3() {
        assertThat(BuildTag.defaultFor("1a2b3c4", "ffffffffffffffff", "/r").value())
                .isEqualTo("1a2b3c4");
        assertThat(
                        BuildTag.defaultFor(null, "0123456789abcdef0123456789abcdef01234567", "/r")
                                .value())
                .isEqualTo("0123456");
        for (String sha : new String[] {null, "", "not-a-sha", "ABCDEF0"}) {
            assertThatThrownBy(() -> BuildTag.defaultFor(null, sha, "/r"))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("/r is not a git checkout")
                    .hasMessageContaining("pass --tag TAG")
                    .satisfies(
                            e ->
                                    assertThat(((PipelineException) e).exitCode())
                                            .isEqualTo(ExitCode.PREREQUISITE));
        }
    }
}
