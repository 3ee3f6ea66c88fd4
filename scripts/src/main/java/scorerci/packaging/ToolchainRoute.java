package scorerci.packaging;

import java.util.Locale;

/** How the aarch64 binary gets built; `--toolchain` names one or leaves it to {@code auto}. */
public enum ToolchainRoute {
    /** cargo-zigbuild with a glibc-suffixed target: links against exactly that glibc (any host). */
    ZIGBUILD,
    /**
     * Debian's rustc-web/cargo-web with libstd-rust-web-dev:arm64 and aarch64-linux-gnu-gcc (x86_64
     * host).
     */
    SYSTEM,
    /** a rustup toolchain with the aarch64-unknown-linux-gnu target installed. */
    RUSTUP,
    /** plain cargo on an aarch64 host, linking against the host's own glibc. */
    NATIVE;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
