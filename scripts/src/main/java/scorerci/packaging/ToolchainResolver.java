package scorerci.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import scorerci.core.PipelineException;
import scorerci.elf.GlibcVersion;

/**
 * Chooses how to build the aarch64 binary, without running anything but probes.
 *
 * <p>auto on an aarch64 host: plain cargo, unless the host's glibc is newer than the limit
 * (GitHub's ubuntu-24.04-arm has 2.39, AL2023 2.34): then cargo-zigbuild pinned to the limit, which
 * {@link ZigbuildInstaller} installs from PyPI when absent. auto on x86_64: the first route present
 * of zigbuild, system, rustup; none present is {@link Missing}, which the caller provisions (as
 * root) or reports with the commands.
 */
public final class ToolchainResolver {
    static final Path SYSTEM_CARGO = Path.of("/usr/bin/cargo");
    static final Path SYSTEM_RUSTC = Path.of("/usr/bin/rustc");
    static final Path SYSTEM_AARCH64_STD = Path.of("/usr/lib/rustlib/" + Toolchain.TRIPLE + "/lib");
    static final Path CROSS_LIBC = Path.of("/usr/aarch64-linux-gnu/lib/crt1.o");
    static final String CROSS_GCC = "aarch64-linux-gnu-gcc";

    /** The glibc zigbuild targets unless --max-glibc is older: see {@link #zigGlibc()}. */
    public static final GlibcVersion ZIG_GLIBC_FLOOR = GlibcVersion.parse("2.30");

    /** No route is present; {@code packages} is what Debian needs to make the system route work. */
    public static final class Missing extends Exception {
        public final List<String> packages;

        Missing(List<String> packages) {
            super("no aarch64 Rust toolchain found");
            this.packages = List.copyOf(packages);
        }
    }

    private final HostFacts host;
    private final ToolchainProbe probe;
    private final Map<String, String> env;
    private final GlibcVersion maxGlibc;

    public ToolchainResolver(
            HostFacts host, ToolchainProbe probe, Map<String, String> env, GlibcVersion maxGlibc) {
        this.host = host;
        this.probe = probe;
        this.env = env;
        this.maxGlibc = maxGlibc;
    }

    /**
     * The glibc zigbuild links against: the limit, but no newer than {@link #ZIG_GLIBC_FLOOR}. zig
     * links against stubs of exactly that version, so the binary runs on any glibc from it on: 2.30
     * is the oldest the scorer links with (std's gettid appeared in 2.30) and cargo-lambda's floor
     * (issue 15); the system route cannot go below its cross libc's 2.34
     * (__libc_start_main@GLIBC_2.34 in Debian 12's crt1.o).
     */
    GlibcVersion zigGlibc() {
        return maxGlibc.isNewerThan(ZIG_GLIBC_FLOOR) ? ZIG_GLIBC_FLOOR : maxGlibc;
    }

    /**
     * True when auto must use zigbuild on this aarch64 host (its glibc is newer than the limit).
     */
    public boolean nativeGlibcTooNew() {
        return host.isAarch64() && (host.glibc() == null || host.glibc().isNewerThan(maxGlibc));
    }

    /**
     * The route for `--toolchain auto` or a named one. Throws PREREQUISITE when a named route is
     * not present; throws {@link Missing} when auto finds nothing to use. For aarch64 hosts whose
     * glibc is too new, returns empty: install zigbuild first.
     */
    public Optional<Toolchain> resolve(String requested) throws Missing {
        String name = requested == null ? "auto" : requested;
        switch (name) {
            case "auto":
                return auto();
            case "zigbuild":
                return Optional.of(
                        zigbuild()
                                .orElseThrow(
                                        () ->
                                                PipelineException.prerequisite(
                                                        "--toolchain zigbuild: cargo-zigbuild (with zig) or an aarch64 Rust std is missing: run"
                                                                + " `pip install ziglang cargo-zigbuild` and install the aarch64 std (rustup target add "
                                                                + Toolchain.TRIPLE
                                                                + ", or Debian's libstd-rust-web-dev:arm64)")));
            case "system":
                Optional<Toolchain> system = system();
                if (system.isEmpty())
                    throw new Missing(systemPackages()); // provisioned as root, else the commands
                return system;
            case "rustup":
                return Optional.of(
                        rustup().orElseThrow(
                                        () ->
                                                PipelineException.prerequisite(
                                                        "--toolchain rustup: no rustup toolchain with the "
                                                                + Toolchain.TRIPLE
                                                                + " target"
                                                                + (host.isAarch64()
                                                                        ? ""
                                                                        : " and " + CROSS_GCC)
                                                                + ": run `rustup target add "
                                                                + Toolchain.TRIPLE
                                                                + "`"
                                                                + (host.isAarch64()
                                                                        ? ""
                                                                        : " and apt-get install gcc-aarch64-linux-gnu"))));
            case "native":
                if (!host.isAarch64()) {
                    throw PipelineException.usage(
                            "--toolchain native builds on an aarch64 host only; this host is "
                                    + host.arch()
                                    + ": use auto, zigbuild, system or rustup");
                }
                return Optional.of(
                        nativeCargo()
                                .orElseThrow(
                                        () ->
                                                PipelineException.prerequisite(
                                                        "--toolchain native: cargo is not on PATH: install Rust (rustup or your distribution's cargo)")));
            default:
                throw PipelineException.usage(
                        "--toolchain '"
                                + name
                                + "' is unknown: use auto, zigbuild, system, rustup or native");
        }
    }

    private Optional<Toolchain> auto() throws Missing {
        if (host.isAarch64()) {
            if (nativeGlibcTooNew()) return zigbuild(); // empty: the caller installs cargo-zigbuild
            Optional<Toolchain> nativeRoute = nativeCargo();
            if (nativeRoute.isPresent()) return nativeRoute;
            throw PipelineException.prerequisite(
                    "cargo is not on PATH: install Rust (rustup or your distribution's cargo)");
        }
        // first present wins; probed lazily, since asking rustup costs a process
        for (java.util.function.Supplier<Optional<Toolchain>> route :
                List.<java.util.function.Supplier<Optional<Toolchain>>>of(
                        this::zigbuild, this::system, this::rustup)) {
            Optional<Toolchain> found = route.get();
            if (found.isPresent()) return found;
        }
        throw new Missing(systemPackages());
    }

    Optional<Toolchain> zigbuild() {
        Path zigbuild = probe.onPath("cargo-zigbuild");
        if (zigbuild == null) return Optional.empty();
        String target = Toolchain.TRIPLE + "." + zigGlibc();
        if (host.isAarch64()) {
            Path cargo = probe.onPath("cargo");
            if (cargo == null) return Optional.empty();
            return Optional.of(
                    new Toolchain(
                            ToolchainRoute.ZIGBUILD,
                            cargo.toString(),
                            List.of(zigbuild.toString(), "zigbuild"),
                            target,
                            Map.of(),
                            List.of(),
                            "rustc"));
        }
        if (probe.onPath("rustup") != null && probe.rustupHasTarget(Toolchain.TRIPLE)) {
            return Optional.of(
                    new Toolchain(
                            ToolchainRoute.ZIGBUILD,
                            "cargo",
                            List.of(zigbuild.toString(), "zigbuild"),
                            target,
                            Map.of(),
                            List.of(),
                            "rustc"));
        }
        if (systemRustPresent()) {
            // cargo-zigbuild runs `cargo` from PATH: put the system toolchain first so rustup's
            // shims
            // lose, but cargo-zigbuild's own directory before it, where a PyPI install keeps the
            // python that finds zig (`python3 -m ziglang`)
            Map<String, String> vars = new java.util.HashMap<>(systemEnv(false));
            vars.put("PATH", zigbuild.getParent() + java.io.File.pathSeparator + vars.get("PATH"));
            return Optional.of(
                    new Toolchain(
                            ToolchainRoute.ZIGBUILD,
                            SYSTEM_CARGO.toString(),
                            List.of(zigbuild.toString(), "zigbuild"),
                            target,
                            vars,
                            List.of("RUSTUP_TOOLCHAIN"),
                            SYSTEM_RUSTC.toString()));
        }
        return Optional.empty();
    }

    Optional<Toolchain> system() {
        if (!missingSystemPieces().isEmpty()) return Optional.empty();
        return Optional.of(
                new Toolchain(
                        ToolchainRoute.SYSTEM,
                        SYSTEM_CARGO.toString(),
                        List.of(SYSTEM_CARGO.toString(), "build"),
                        Toolchain.TRIPLE,
                        systemEnv(!host.isAarch64()),
                        List.of("RUSTUP_TOOLCHAIN"),
                        SYSTEM_RUSTC.toString()));
    }

    Optional<Toolchain> rustup() {
        if (probe.onPath("rustup") == null || probe.onPath("cargo") == null)
            return Optional.empty();
        if (!host.isAarch64() && probe.onPath(CROSS_GCC) == null) return Optional.empty();
        if (!probe.rustupHasTarget(Toolchain.TRIPLE)) return Optional.empty();
        Map<String, String> vars =
                host.isAarch64() ? Map.of() : Map.of(Toolchain.LINKER_VARIABLE, CROSS_GCC);
        return Optional.of(
                new Toolchain(
                        ToolchainRoute.RUSTUP,
                        "cargo",
                        List.of("cargo", "build"),
                        Toolchain.TRIPLE,
                        vars,
                        List.of(),
                        "rustc"));
    }

    Optional<Toolchain> nativeCargo() {
        Path cargo = probe.onPath("cargo");
        if (cargo == null) return Optional.empty();
        return Optional.of(
                new Toolchain(
                        ToolchainRoute.NATIVE,
                        cargo.toString(),
                        List.of(cargo.toString(), "build"),
                        Toolchain.TRIPLE,
                        Map.of(),
                        List.of(),
                        "rustc"));
    }

    private boolean systemRustPresent() {
        return probe.exists(SYSTEM_CARGO)
                && probe.exists(SYSTEM_RUSTC)
                && probe.exists(SYSTEM_AARCH64_STD);
    }

    /**
     * The system toolchain must not meet rustup's shims (toolchain.md §2): RUSTC names
     * /usr/bin/rustc, RUSTUP_TOOLCHAIN is removed, and /usr/bin leads PATH.
     */
    private Map<String, String> systemEnv(boolean crossLinker) {
        Map<String, String> vars = new java.util.HashMap<>();
        vars.put("RUSTC", SYSTEM_RUSTC.toString());
        vars.put("CARGO", SYSTEM_CARGO.toString());
        vars.put(
                "PATH", "/usr/bin" + java.io.File.pathSeparator + env.getOrDefault("PATH", "/bin"));
        if (crossLinker) vars.put(Toolchain.LINKER_VARIABLE, CROSS_GCC);
        return vars;
    }

    /** What the system route lacks, as human words. */
    List<String> missingSystemPieces() {
        List<String> missing = new ArrayList<>();
        if (!probe.exists(SYSTEM_CARGO)) missing.add(SYSTEM_CARGO.toString());
        if (!probe.exists(SYSTEM_RUSTC)) missing.add(SYSTEM_RUSTC.toString());
        if (!probe.exists(SYSTEM_AARCH64_STD))
            missing.add("the aarch64 Rust std (" + SYSTEM_AARCH64_STD + ")");
        if (!host.isAarch64()) {
            if (probe.onPath(CROSS_GCC) == null) missing.add(CROSS_GCC);
            if (!probe.exists(CROSS_LIBC)) missing.add("the arm64 cross libc (" + CROSS_LIBC + ")");
        }
        return missing;
    }

    /** Debian 12 packages that complete the system route on this host. */
    List<String> systemPackages() {
        List<String> packages = new ArrayList<>();
        if (!probe.exists(SYSTEM_RUSTC)) packages.add("rustc-web");
        if (!probe.exists(SYSTEM_CARGO)) packages.add("cargo-web");
        if (!probe.exists(SYSTEM_AARCH64_STD))
            packages.add(host.isAarch64() ? "libstd-rust-web-dev" : "libstd-rust-web-dev:arm64");
        if (!host.isAarch64()) {
            if (probe.onPath(CROSS_GCC) == null) packages.add("gcc-aarch64-linux-gnu");
            if (!probe.exists(CROSS_LIBC)) packages.add("libc6-dev-arm64-cross");
        }
        return packages;
    }
}
