package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crate reached through a symbolic link is the real crate: cargo runs in the real directory, so
 * build-zip must use that path too (remaps, target dir, flags) or it would rebuild every unit.
 */
class CargoPackageLinkTest {
    @TempDir Path dir;

    @Test
    void aLinkedCrateIsReadAsItsRealDirectory() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real/hello"));
        Files.writeString(
                real.resolve("Cargo.toml"),
                "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        Files.createDirectories(real.resolve("src"));
        Files.writeString(real.resolve("src/main.rs"), "fn main() {}\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        Toolchain cargo =
                new Toolchain(
                        ToolchainRoute.SYSTEM,
                        "cargo",
                        List.of("cargo", "build"),
                        Toolchain.TRIPLE,
                        Map.of(),
                        List.of(),
                        "rustc");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SCORER_ANSWER_CACHE", "off");
        CargoPackage crate = CargoPackage.read(link, cargo, env);

        assertThat(crate.crateDir()).isEqualTo(real.toRealPath());
        assertThat(crate.name()).isEqualTo("hello");
        assertThat(crate.targetDirectory()).isEqualTo(real.toRealPath().resolve("target"));
    }
}
