package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scorerci.fakes.FakePulumi;
import scorerci.testing.CommandHarness;
import scorerci.testing.CommandHarness.Result;

/**
 * `ci review --skip-tests` on this machine, every stage real except the Pulumi CLI (the fake, since
 * the real CLI cannot be installed here): the real cross build of scorer/, upload to and download
 * from a local artifact store, and the deploy preview against the fake pulumi. The test suite stage
 * is skipped to avoid running the suite from inside itself.
 *
 * <p>A scratch repository links scorer/ (so the suite's one aarch64 build serves here too) and
 * copies infra/'s project files, so the run changes nothing in the repository but scorer/target.
 */
@Tag("slow") // the whole local pipeline: build-zip (shares scorer/target), upload, download,
// preview: not in scripts/run-tests.sh --fast
class CiEndToEndTest {
    static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir Path scratch;

    @Test
    @Timeout(1200)
    void reproducesTheReviewPipelineLocallyEndToEnd() throws IOException {
        Path root = Files.createDirectories(scratch.resolve("repo"));
        linkScorerCrate(root);
        copyInfraProject(root);
        FakePulumi pulumi = FakePulumi.install(scratch.resolve("fake"));
        Path store = scratch.resolve("store");
        String tag = "ci" + Long.toHexString(System.nanoTime()).substring(0, 6);

        Result r =
                CommandHarness.create()
                        .workDir(root)
                        .env("PATH", pulumi.path(System.getenv("PATH")))
                        .env("PULUMI_ACCESS_TOKEN", "pul-test-token-not-real")
                        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEYID0000")
                        .env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
                        .run(
                                "ci",
                                "review",
                                "--skip-tests",
                                "--tag",
                                tag,
                                "--store",
                                store.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains(
                        "==> [1/5] test suite: skipped (--skip-tests)",
                        "==> [2/5] build-zip: build-zip --tag " + tag,
                        "<== build-zip: ok in",
                        "<== upload-artifact: ok in",
                        "<== download-artifact: ok in",
                        "==> [5/5] deploy preview: deploy review --preview-only",
                        "<== deploy preview: ok in",
                        "ci review: all stages passed in");
        Path built = REPO.resolve("scorer/target/lambda/rust-scorer/bootstrap.zip");
        Path downloaded = root.resolve("rust-scorer-artifact/bootstrap.zip");
        assertThat(downloaded).exists();
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(Files.readAllBytes(built));
        List<String> commands = pulumi.commands();
        assertThat(commands)
                .anyMatch(c -> c.startsWith("preview"))
                .noneMatch(c -> c.startsWith("up"));
        assertThat(r.out() + r.err())
                .doesNotContain("pul-test-token-not-real")
                .doesNotContain("not-a-real-secret");

        // a rerun finds its artifact in the store with the same digest: no conflict (the 409
        // lesson)
        Result again =
                CommandHarness.create()
                        .workDir(root)
                        .env("PATH", pulumi.path(System.getenv("PATH")))
                        .env("PULUMI_ACCESS_TOKEN", "pul-test-token-not-real")
                        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEYID0000")
                        .env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
                        .run(
                                "ci",
                                "review",
                                "--skip-tests",
                                "--tag",
                                tag,
                                "--store",
                                store.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
    }

    /**
     * The repository's scorer/ itself, through a link: cargo runs in the real directory (the link
     * resolves as its working directory), so the aarch64 build the other end-to-end tests made is
     * reused — one build per suite — and build-zip's "inputs unchanged" path is what runs here.
     */
    private static void linkScorerCrate(Path root) throws IOException {
        Files.createSymbolicLink(root.resolve("scorer"), REPO.resolve("scorer"));
    }

    /**
     * infra/'s package files and Pulumi project, with node_modules marked installed (the fake
     * pulumi runs no program).
     */
    private static void copyInfraProject(Path root) throws IOException {
        Path infra = Files.createDirectories(root.resolve("infra/aws"));
        Files.copy(REPO.resolve("infra/package.json"), root.resolve("infra/package.json"));
        Files.copy(
                REPO.resolve("infra/package-lock.json"), root.resolve("infra/package-lock.json"));
        try (var s = Files.list(REPO.resolve("infra/aws"))) {
            for (Path p :
                    s.filter(f -> f.getFileName().toString().matches("Pulumi(\\..+)?\\.yaml"))
                            .toList()) {
                Files.copy(p, infra.resolve(p.getFileName()));
            }
        }
        Path hidden = root.resolve("infra/node_modules/.package-lock.json");
        Files.createDirectories(hidden.getParent());
        Files.copy(
                root.resolve("infra/package-lock.json"),
                hidden,
                StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(
                root.resolve("infra/package-lock.json"),
                FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(hidden, FileTime.from(Instant.now()));
    }
}
