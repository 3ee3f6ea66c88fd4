package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.process.ExternalProcess;
import scorerci.testing.RequiredTools;

/**
 * build-zip's rustflags: which directories are remapped and in what order, and how the flags reach
 * cargo without replacing the user's own. The delivery is checked against real cargo: a tiny crate
 * refuses to compile unless both the user's flag and ours arrive.
 */
class RustFlagsTest {
    @TempDir Path dir;

    @Test
    void remapsAreDeduplicatedAndTheMostSpecificComesLast() {
        Path crate = Path.of("/home/dev/repo/scorer");
        List<RustFlags.Remap> remaps =
                RustFlags.remaps(
                        "rust-scorer",
                        crate,
                        crate.resolve("target"),
                        Path.of("/home/dev/.cargo"),
                        Path.of("/usr"));
        assertThat(remaps)
                .extracting(RustFlags.Remap::label)
                .containsExactly("SYSROOT", "CARGO_HOME", "CRATE_DIR", "TARGET_DIR");
        assertThat(RustFlags.flags(remaps))
                .startsWith("--remap-path-prefix=/usr=/rustc-sysroot")
                .contains(
                        "--remap-path-prefix=/home/dev/repo/scorer/target=/build/target",
                        "-Ctarget-cpu=neoverse-n1",
                        "-Clink-arg=-Wl,-z,max-page-size=4096");
        // the record names the directories, never the machine's paths
        assertThat(String.join(" ", RustFlags.recorded(remaps)))
                .doesNotContain("/home/dev")
                .contains("--remap-path-prefix=$CRATE_DIR=/build/rust-scorer");
        // the record does not depend on this machine's path lengths (which order the real flags)
        List<RustFlags.Remap> elsewhere =
                RustFlags.remaps(
                        "rust-scorer",
                        Path.of("/a/much/longer/checkout/path/scorer"),
                        Path.of("/t"),
                        Path.of("/home/someone/.cargo"),
                        Path.of("/usr"));
        assertThat(RustFlags.recorded(elsewhere)).isEqualTo(RustFlags.recorded(remaps));
        // a CARGO_HOME equal to the crate dir is one remap, and "/" is never remapped
        assertThat(RustFlags.remaps("x", crate, crate, Path.of("/"), null)).hasSize(1);
    }

    @Test
    void theUsersVariablesAreAppendedToNotReplaced() {
        List<RustFlags.Remap> remaps =
                RustFlags.remaps(
                        "x", Path.of("/a b/crate"), Path.of("/a b/crate/target"), null, null);
        RustFlags.Delivery plain =
                RustFlags.deliver(
                        remaps,
                        Toolchain.TRIPLE,
                        Map.of("RUSTFLAGS", " -C  opt-level=2 -Dwarnings"),
                        dir,
                        null);
        assertThat(plain.cargoArgs()).isEmpty();
        assertThat(plain.env().get("CARGO_ENCODED_RUSTFLAGS").split("\u001f"))
                .startsWith("-C", "opt-level=2", "-Dwarnings")
                .contains("--remap-path-prefix=/a b/crate=/build/x");
        RustFlags.Delivery encoded =
                RustFlags.deliver(
                        remaps,
                        Toolchain.TRIPLE,
                        Map.of(
                                "CARGO_ENCODED_RUSTFLAGS",
                                "--cfg\u001fmine",
                                "RUSTFLAGS",
                                "ignored-by-cargo"),
                        dir,
                        null);
        assertThat(encoded.env().get("CARGO_ENCODED_RUSTFLAGS"))
                .startsWith("--cfg\u001fmine\u001f--remap-path-prefix=")
                .doesNotContain("ignored-by-cargo");
    }

    @Test
    void withoutVariablesTheConfigKeyCargoWillReadIsChosen() throws Exception {
        Path crate = Files.createDirectories(dir.resolve("repo/crate"));
        List<String> ours = List.of("--cfg", "ours");
        assertThat(RustFlags.deliver(ours, ours, "t", Map.of(), crate, null).via())
                .isEqualTo("--config target.t.rustflags");
        Files.createDirectories(dir.resolve("repo/.cargo"));
        Files.writeString(
                dir.resolve("repo/.cargo/config.toml"),
                "[build]\nrustflags = [\"--cfg\", \"theirs\"]\n");
        assertThat(RustFlags.deliver(ours, ours, "t", Map.of(), crate, null).cargoArgs())
                .containsExactly("--config", "build.rustflags=[\"--cfg\", \"ours\"]");
        Path cargoHome = Files.createDirectories(dir.resolve("cargo-home"));
        Files.writeString(
                cargoHome.resolve("config.toml"),
                "[target.'cfg(unix)']\nrustflags = [\"-Dwarnings\"]\n");
        assertThat(RustFlags.deliver(ours, ours, "t", Map.of(), crate, cargoHome).via())
                .isEqualTo("--config target.t.rustflags");
        assertThat(RustFlags.tomlArray(List.of("a\"b", "c\\d")))
                .isEqualTo("[\"a\\\"b\", \"c\\\\d\"]");
    }

    /**
     * Real cargo: both the user's --cfg and ours must reach rustc, whichever source the user used.
     */
    @Test
    void realCargoSeesTheUsersFlagsAndOurs() throws Exception {
        Path cargo = ExternalProcess.locate("cargo", System.getenv());
        if (cargo == null)
            RequiredTools.missing("cargo is not on PATH: install Rust (see README Setup)");
        Path crate = Files.createDirectories(dir.resolve("ws/probe"));
        Files.writeString(
                crate.resolve("Cargo.toml"),
                "[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        Files.createDirectories(crate.resolve("src"));
        Files.writeString(
                crate.resolve("src/main.rs"),
                """
                #[cfg(not(theirs))] compile_error!("the user's flag was dropped");
                #[cfg(not(ours))] compile_error!("build-zip's flag was dropped");
                fn main() {}
                """);
        String host = hostTriple(cargo);
        List<String> ours = List.of("--cfg", "ours");
        Path config = Files.createDirectories(dir.resolve("ws/.cargo")).resolve("config.toml");
        record Setup(String config, Map<String, String> env) {}
        for (Setup setup :
                List.of(
                        new Setup("[build]\nrustflags = [\"--cfg\", \"theirs\"]\n", Map.of()),
                        new Setup(
                                "[target." + host + "]\nrustflags = [\"--cfg\", \"theirs\"]\n",
                                Map.of()),
                        new Setup("", Map.of("RUSTFLAGS", "--cfg theirs")),
                        new Setup("", Map.of("CARGO_ENCODED_RUSTFLAGS", "--cfg\u001ftheirs")))) {
            Files.writeString(config, setup.config());
            RustFlags.Delivery delivery =
                    RustFlags.deliver(ours, ours, host, setup.env(), crate, null);
            List<String> command =
                    new java.util.ArrayList<>(
                            List.of(cargo.toString(), "check", "--quiet", "--target", host));
            command.addAll(delivery.cargoArgs());
            Map<String, String> env = new HashMap<>(setup.env());
            env.putAll(delivery.env());
            ExternalProcess process =
                    ExternalProcess.of(command)
                            .in(crate)
                            .env(env)
                            .env("CARGO_TARGET_DIR", dir.resolve("target").toString())
                            .timeout(Duration.ofMinutes(2));
            List.of("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS").stream()
                    .filter(v -> !env.containsKey(v))
                    .forEach(process::unsetEnv);
            ExternalProcess.Result result = process.run();
            assertThat(result.ok())
                    .as(setup + " via " + delivery.via() + ":\n" + result.output())
                    .isTrue();
        }
    }

    private static String hostTriple(Path cargo) {
        Path rustc = cargo.resolveSibling("rustc");
        ExternalProcess.Result vv =
                ExternalProcess.of(Files.isExecutable(rustc) ? rustc.toString() : "rustc", "-vV")
                        .timeout(Duration.ofSeconds(30))
                        .run();
        return vv.output()
                .lines()
                .filter(l -> l.startsWith("host: "))
                .map(l -> l.substring(6).trim())
                .findFirst()
                .orElseThrow();
    }
}
