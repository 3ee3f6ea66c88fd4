package scorerci.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolchainTest {
    @Test
    void theProgressLineShowsTheCommandThatRunsIncludingRelease() {
        Toolchain system =
                new Toolchain(
                        ToolchainRoute.SYSTEM,
                        "/usr/bin/cargo",
                        List.of("/usr/bin/cargo", "build"),
                        Toolchain.TRIPLE,
                        Map.of(),
                        List.of(),
                        "/usr/bin/rustc");
        assertThat(system.describe())
                .isEqualTo(
                        "system (/usr/bin/cargo build --release --target aarch64-unknown-linux-gnu)");
        List<String> command = system.buildCommand("rust-scorer");
        assertThat(String.join(" ", command))
                .startsWith(system.describe().replaceAll("^system \\((.*)\\)$", "$1"))
                .endsWith("--bin rust-scorer");
    }
}
