package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.Actions;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.elf.GlibcVersion;

/**
 * A bare x86_64 machine, not root: build-zip stops with the exact commands to run, before building
 * anything.
 */
class LambdaBuildPrerequisiteTest {
    @TempDir Path dir;

    @Test
    void withoutRootTheMissingPackagesArePrintedAsCommands() {
        HostFacts bare = new HostFacts("x86_64", GlibcVersion.parse("2.36"), false);
        ToolchainResolverTest.Machine nothing =
                new ToolchainResolverTest.Machine().with("cargo", "rustup");
        LambdaBuild build =
                new LambdaBuild(
                        Map.of("PATH", "/usr/bin"),
                        Log.silent(),
                        new Actions(Map.of(), new PrintWriter(Writer.nullWriter())),
                        bare,
                        env -> nothing);
        assertThatThrownBy(
                        () -> build.run(new LambdaBuild.Request(dir, null, "auto", "2.34", null)))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("no aarch64 Rust toolchain found")
                .hasMessageContaining(
                        "as root run: dpkg --add-architecture arm64 && apt-get update && apt-get install -y"
                                + " --no-install-recommends rustc-web cargo-web libstd-rust-web-dev:arm64 gcc-aarch64-linux-gnu"
                                + " libc6-dev-arm64-cross")
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.PREREQUISITE);
    }
}
