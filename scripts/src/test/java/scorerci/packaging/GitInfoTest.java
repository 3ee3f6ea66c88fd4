package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitInfoTest {
    @Test
    void outsideAGitCheckoutTheTagIsLocal(@TempDir Path dir) {
        GitInfo info =
                GitInfo.of(
                        dir,
                        Map.of(
                                "PATH",
                                System.getenv("PATH"),
                                "GIT_CEILING_DIRECTORIES",
                                dir.getParent().toString()));
        assertThat(info.commit()).isNull();
        assertThat(info.shortCommit()).isEqualTo("local");
    }

    @Test
    void inThisCheckoutTheShortShaPrefixesTheFullOne() {
        GitInfo info =
                GitInfo.of(Path.of("").toAbsolutePath(), Map.of("PATH", System.getenv("PATH")));
        assertThat(info.commit()).matches("[0-9a-f]{40}");
        assertThat(info.commit()).startsWith(info.shortCommit());
    }
}
