package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.elf.GlibcVersion;
import scorerci.process.ExternalProcess;

/**
 * Route choice for hosts this machine is not (an aarch64 runner with glibc 2.39, a bare x86_64
 * box), with a probe that answers from a set of present files and programs. The real probe on this
 * machine is exercised by BuildZipEndToEndTest.
 */
class ToolchainResolverTest {
    static final GlibcVersion MAX = GlibcVersion.parse("2.34");
    static final HostFacts X86 = new HostFacts("x86_64", GlibcVersion.parse("2.36"), false);
    static final HostFacts ARM_239 = new HostFacts("aarch64", GlibcVersion.parse("2.39"), false);
    static final HostFacts ARM_234 = new HostFacts("aarch64", GlibcVersion.parse("2.34"), false);

    /** A machine described by what is on it. */
    static final class Machine implements ToolchainProbe {
        final Set<String> present = new HashSet<>();
        boolean rustupTarget;

        Machine with(String... things) {
            present.addAll(List.of(things));
            return this;
        }

        Machine systemRoute() {
            return with(
                    "/usr/bin/cargo",
                    "/usr/bin/rustc",
                    ToolchainResolver.SYSTEM_AARCH64_STD.toString(),
                    ToolchainResolver.CROSS_LIBC.toString(),
                    "aarch64-linux-gnu-gcc");
        }

        @Override
        public boolean exists(Path path) {
            return present.contains(path.toString());
        }

        @Override
        public Path onPath(String program) {
            return present.contains(program) ? Path.of("/bin", program) : null;
        }

        @Override
        public boolean rustupHasTarget(String triple) {
            return rustupTarget;
        }
    }

    private static Toolchain resolve(HostFacts host, Machine machine, String requested)
            throws Exception {
        return new ToolchainResolver(
                        host, machine, Map.of("PATH", "/root/.cargo/bin:/usr/bin"), MAX)
                .resolve(requested)
                .orElseThrow();
    }

    @Test
    void onX86TheSystemRouteAvoidsRustupsShims() throws Exception {
        Toolchain t = resolve(X86, new Machine().systemRoute().with("rustup", "cargo"), "auto");
        assertThat(t.route()).isEqualTo(ToolchainRoute.SYSTEM);
        assertThat(t.buildCommand("rust-scorer"))
                .containsExactly(
                        "/usr/bin/cargo",
                        "build",
                        "--release",
                        "--target",
                        "aarch64-unknown-linux-gnu",
                        "--bin",
                        "rust-scorer");
        assertThat(t.env())
                .containsEntry("RUSTC", "/usr/bin/rustc")
                .containsEntry(
                        "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER", "aarch64-linux-gnu-gcc")
                .containsEntry("PATH", "/usr/bin:/root/.cargo/bin:/usr/bin");
        assertThat(t.unsetEnv()).contains("RUSTUP_TOOLCHAIN");
    }

    @Test
    void onX86ZigbuildComesFirstWithTheGlibcSuffix() throws Exception {
        Machine m = new Machine().systemRoute().with("cargo-zigbuild");
        Toolchain t = resolve(X86, m, "auto");
        assertThat(t.route()).isEqualTo(ToolchainRoute.ZIGBUILD);
        assertThat(t.target()).isEqualTo("aarch64-unknown-linux-gnu.2.30");
        assertThat(t.build()).containsExactly("/bin/cargo-zigbuild", "zigbuild");
        assertThat(t.env()).containsEntry("RUSTC", "/usr/bin/rustc");
    }

    @Test
    void zigbuildTargetsGlibc230LikeCargoLambdaUnlessTheLimitIsOlder() throws Exception {
        Machine m = new Machine().systemRoute().with("cargo-zigbuild");
        Map<String, String> env = Map.of("PATH", "/root/.cargo/bin:/usr/bin");
        assertThat(
                        new ToolchainResolver(X86, m, env, GlibcVersion.parse("2.39"))
                                .resolve("zigbuild")
                                .orElseThrow()
                                .target())
                .isEqualTo("aarch64-unknown-linux-gnu.2.30");
        assertThat(
                        new ToolchainResolver(X86, m, env, GlibcVersion.parse("2.28"))
                                .resolve("zigbuild")
                                .orElseThrow()
                                .target())
                .isEqualTo("aarch64-unknown-linux-gnu.2.28");
    }

    @Test
    void onX86RustupIsTheLastRouteAndNeedsItsTarget() throws Exception {
        Machine m = new Machine().with("rustup", "cargo", "aarch64-linux-gnu-gcc");
        m.rustupTarget = true;
        Toolchain t = resolve(X86, m, "auto");
        assertThat(t.route()).isEqualTo(ToolchainRoute.RUSTUP);
        assertThat(t.env()).containsEntry(Toolchain.LINKER_VARIABLE, "aarch64-linux-gnu-gcc");
        m.rustupTarget = false;
        assertThatThrownBy(() -> resolve(X86, m, "rustup"))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("rustup target add aarch64-unknown-linux-gnu");
    }

    @Test
    void aBareX86MachineNeedsTheDebianPackages() {
        Machine bare = new Machine().with("rustup", "cargo");
        assertThatThrownBy(() -> resolve(X86, bare, "auto"))
                .isInstanceOf(ToolchainResolver.Missing.class)
                .satisfies(
                        e ->
                                assertThat(((ToolchainResolver.Missing) e).packages)
                                        .containsExactly(
                                                "rustc-web",
                                                "cargo-web",
                                                "libstd-rust-web-dev:arm64",
                                                "gcc-aarch64-linux-gnu",
                                                "libc6-dev-arm64-cross"));
        assertThat(Provisioner.commands(List.of("rustc-web", "libstd-rust-web-dev:arm64")))
                .containsExactly(
                        "dpkg --add-architecture arm64",
                        "apt-get update",
                        "apt-get install -y --no-install-recommends rustc-web libstd-rust-web-dev:arm64");
        // a half-provisioned machine asks only for what is missing
        Machine half =
                new Machine()
                        .with(
                                "/usr/bin/cargo",
                                "/usr/bin/rustc",
                                "aarch64-linux-gnu-gcc",
                                ToolchainResolver.CROSS_LIBC.toString());
        assertThatThrownBy(() -> resolve(X86, half, "system"))
                .isInstanceOf(ToolchainResolver.Missing.class)
                .satisfies(
                        e ->
                                assertThat(((ToolchainResolver.Missing) e).packages)
                                        .containsExactly("libstd-rust-web-dev:arm64"));
    }

    @Test
    void onAnArmRunnerWithGlibc239AutoWantsZigbuildPinnedTo234() throws Exception {
        ToolchainResolver resolver =
                new ToolchainResolver(ARM_239, new Machine().with("cargo"), Map.of(), MAX);
        assertThat(resolver.nativeGlibcTooNew()).isTrue();
        assertThat(resolver.resolve("auto")).as("empty: install cargo-zigbuild first").isEmpty();
        Toolchain t = resolve(ARM_239, new Machine().with("cargo", "cargo-zigbuild"), "auto");
        assertThat(t.route()).isEqualTo(ToolchainRoute.ZIGBUILD);
        assertThat(t.target()).isEqualTo("aarch64-unknown-linux-gnu.2.30");
    }

    @Test
    void onAnArmHostWithAnOldEnoughGlibcPlainCargoIsEnough() throws Exception {
        Toolchain t = resolve(ARM_234, new Machine().with("cargo"), "auto");
        assertThat(t.route()).isEqualTo(ToolchainRoute.NATIVE);
        assertThat(t.env()).doesNotContainKey(Toolchain.LINKER_VARIABLE);
        assertThatThrownBy(() -> resolve(X86, new Machine().with("cargo"), "native"))
                .isInstanceOf(PipelineException.class)
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void provisioningRunsThePlanWithProgressLinesAndStopsAtTheFirstFailure() {
        List<String> ran = new ArrayList<>();
        java.io.StringWriter err = new java.io.StringWriter();
        Log log =
                new Log(
                        new java.io.PrintWriter(java.io.Writer.nullWriter()),
                        new java.io.PrintWriter(err, true),
                        Log.Level.NORMAL);
        new Provisioner(
                        (command, lines) -> {
                            ran.add(String.join(" ", command));
                            return new ExternalProcess.Result(0, "ok\n");
                        },
                        log)
                .install(List.of("rustc-web", "libstd-rust-web-dev:arm64"), false);
        assertThat(ran)
                .containsExactly(
                        "dpkg --add-architecture arm64",
                        "apt-get update",
                        "apt-get install -y --no-install-recommends rustc-web libstd-rust-web-dev:arm64");
        assertThat(err.toString())
                .contains("[1/3] dpkg --add-architecture arm64")
                .contains("[3/3] apt-get install");

        assertThatThrownBy(
                        () ->
                                new Provisioner(
                                                (command, lines) ->
                                                        new ExternalProcess.Result(
                                                                100,
                                                                "E: Unable to locate package\n"),
                                                log)
                                        .install(List.of("cargo-web"), false))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("'apt-get update' failed (exit 100)")
                .extracting(e -> ((PipelineException) e).exitCode())
                .isEqualTo(ExitCode.PREREQUISITE);
    }
}
