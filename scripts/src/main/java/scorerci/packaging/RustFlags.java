package scorerci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rustc flags build-zip adds, and how they reach cargo without replacing the user's own.
 *
 * <p><b>Path independence.</b> {@code --remap-path-prefix} for every directory whose absolute path
 * the build machine chooses: the crate, cargo's target directory (build scripts' OUT_DIR),
 * CARGO_HOME (the registry sources of every dependency) and the toolchain's sysroot. Each maps to a
 * fixed name, so panic locations and the GNU build-id (a hash of the output) come out the same in
 * any checkout, home and target directory. Longer prefixes are given later: rustc applies the last
 * matching one, so a target dir inside the crate maps to /target, not /build/&lt;crate&gt;/target.
 *
 * <p><b>Size</b> (issue 15): {@code -C target-cpu=neoverse-n1}, the oldest core Lambda's arm64 runs
 * on (Graviton2), so atomics are inline LSE instructions instead of helper calls; and 4 KiB segment
 * alignment ({@code -z max-page-size=4096 -z common-page-size=4096}) instead of GNU ld's 64 KiB
 * default for aarch64, which pads each segment. Lambda's arm64 kernels use 4 KiB pages; a 64
 * KiB-page kernel would refuse it.
 *
 * <p><b>Delivery.</b> cargo takes rustflags from exactly one source: CARGO_ENCODED_RUSTFLAGS, else
 * RUSTFLAGS, else the config's {@code target.<triple>.rustflags}/{@code target.<cfg>.rustflags},
 * else {@code build.rustflags}. If the user set one of the variables we append to it; otherwise we
 * pass {@code --config KEY=[...]} for the key cargo will read (config arrays from every source are
 * joined), so the user's config flags stay in force.
 */
public final class RustFlags {
    public static final String TARGET_CPU = "neoverse-n1";
    public static final int PAGE_SIZE = 4096;
    private static final String UNIT_SEPARATOR = "\u001f";

    /** A directory to remap: its absolute path and the stable name it becomes in the binary. */
    public record Remap(String label, Path from, String to) {}

    /**
     * What to add to the cargo build command and its environment.
     *
     * @param cargoArgs {@code --config ...} arguments (empty when a variable carries the flags)
     * @param env variables to set (CARGO_ENCODED_RUSTFLAGS when the user set RUSTFLAGS or it)
     * @param recorded the flags as recorded in the manifest and the provenance: paths replaced by
     *     their labels, so the record holds no machine path and is the same in every checkout
     * @param via where the flags went, for the log: "CARGO_ENCODED_RUSTFLAGS", "--config
     *     build.rustflags", ...
     */
    public record Delivery(
            List<String> cargoArgs, Map<String, String> env, List<String> recorded, String via) {}

    private RustFlags() {}

    /**
     * The directories of this build, deduplicated, shortest first (so the most specific remap
     * wins).
     */
    public static List<Remap> remaps(
            String crateName, Path crateDir, Path targetDir, Path cargoHome, Path sysroot) {
        List<Remap> all = new ArrayList<>();
        all.add(new Remap("CRATE_DIR", crateDir, "/build/" + crateName));
        all.add(new Remap("TARGET_DIR", targetDir, "/build/target"));
        if (cargoHome != null) all.add(new Remap("CARGO_HOME", cargoHome, "/cargo"));
        if (sysroot != null) all.add(new Remap("SYSROOT", sysroot, "/rustc-sysroot"));
        Map<Path, Remap> unique = new LinkedHashMap<>();
        for (Remap r : all) {
            Path abs = r.from().toAbsolutePath().normalize();
            if (abs.getNameCount() == 0) continue; // never remap "/"
            unique.putIfAbsent(abs, new Remap(r.label(), abs, r.to()));
        }
        return unique.values().stream()
                .sorted(Comparator.comparingInt((Remap r) -> r.from().toString().length()))
                .toList();
    }

    /** The flags themselves (remaps first, then size), with real paths. */
    public static List<String> flags(List<Remap> remaps) {
        List<String> flags = new ArrayList<>();
        for (Remap r : remaps) flags.add("--remap-path-prefix=" + r.from() + "=" + r.to());
        flags.addAll(sizeFlags());
        return flags;
    }

    static List<String> sizeFlags() {
        return List.of(
                "-Ctarget-cpu=" + TARGET_CPU,
                "-Clink-arg=-Wl,-z,max-page-size=" + PAGE_SIZE,
                "-Clink-arg=-Wl,-z,common-page-size=" + PAGE_SIZE);
    }

    /**
     * The flags as recorded: {@code --remap-path-prefix=$CRATE_DIR=/build/rust-scorer}, size flags
     * as they are. In a fixed order of labels, not the order given to rustc (which follows this
     * machine's path lengths), so every checkout records the same list.
     */
    public static List<String> recorded(List<Remap> remaps) {
        List<String> flags = new ArrayList<>();
        remaps.stream()
                .sorted(Comparator.comparing(Remap::label))
                .forEach(r -> flags.add("--remap-path-prefix=$" + r.label() + "=" + r.to()));
        flags.addAll(sizeFlags());
        return flags;
    }

    /**
     * Decides how our flags reach cargo for {@code triple}, given the build's environment and the
     * cargo config files that apply in {@code crateDir} (each .cargo/config[.toml] upward, then
     * CARGO_HOME's).
     */
    public static Delivery deliver(
            List<Remap> remaps,
            String triple,
            Map<String, String> env,
            Path crateDir,
            Path cargoHome) {
        return deliver(flags(remaps), recorded(remaps), triple, env, crateDir, cargoHome);
    }

    /**
     * {@link #deliver(List, String, Map, Path, Path)} for any flags (tests use harmless --cfg
     * flags).
     */
    static Delivery deliver(
            List<String> ours,
            List<String> recorded,
            String triple,
            Map<String, String> env,
            Path crateDir,
            Path cargoHome) {
        String encoded = env.get("CARGO_ENCODED_RUSTFLAGS");
        String plain = env.get("RUSTFLAGS");
        if (encoded != null || plain != null) {
            // an encoded value, not RUSTFLAGS + " " + ours: RUSTFLAGS splits on spaces, and paths
            // may hold them
            List<String> theirs = new ArrayList<>();
            if (encoded != null) {
                if (!encoded.isEmpty()) theirs.addAll(List.of(encoded.split(UNIT_SEPARATOR, -1)));
            } else {
                for (String flag : plain.split(" ")) if (!flag.isBlank()) theirs.add(flag.trim());
            }
            List<String> all = new ArrayList<>(theirs);
            all.addAll(ours);
            return new Delivery(
                    List.of(),
                    Map.of("CARGO_ENCODED_RUSTFLAGS", String.join(UNIT_SEPARATOR, all)),
                    recorded,
                    encoded != null
                            ? "CARGO_ENCODED_RUSTFLAGS (appended)"
                            : "RUSTFLAGS (appended, encoded)");
        }
        Set<String> keys = configRustflagsKeys(crateDir, cargoHome, env);
        boolean targetLevel = keys.stream().anyMatch(k -> k.startsWith("target."));
        String key =
                targetLevel || !keys.contains("build")
                        ? "target." + triple + ".rustflags"
                        : "build.rustflags";
        return new Delivery(
                List.of("--config", key + "=" + tomlArray(ours)),
                Map.of(),
                recorded,
                "--config " + key);
    }

    /**
     * Which rustflags keys the user's cargo config sets: "build" and/or "target.&lt;name&gt;" for
     * each target table with rustflags (a cfg(...) table counts: it may match ours). Unreadable
     * files count as none.
     */
    static Set<String> configRustflagsKeys(Path crateDir, Path cargoHome, Map<String, String> env) {
        Set<String> keys = new TreeSet<>();
        if (env.containsKey("CARGO_BUILD_RUSTFLAGS")) keys.add("build");
        env.keySet().stream()
                .filter(k -> k.startsWith("CARGO_TARGET_") && k.endsWith("_RUSTFLAGS"))
                .forEach(k -> keys.add("target." + k));
        List<Path> files = new ArrayList<>();
        for (Path dir = crateDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            files.add(dir.resolve(".cargo/config.toml"));
            files.add(dir.resolve(".cargo/config"));
        }
        if (cargoHome != null) {
            files.add(cargoHome.resolve("config.toml"));
            files.add(cargoHome.resolve("config"));
        }
        TomlMapper toml = new TomlMapper();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) continue;
            try {
                JsonNode root = toml.readTree(file.toFile());
                if (root.path("build").has("rustflags")) keys.add("build");
                root.path("target")
                        .fields()
                        .forEachRemaining(
                                t -> {
                                    if (t.getValue().has("rustflags"))
                                        keys.add("target." + t.getKey());
                                });
            } catch (IOException unreadable) {
                // cargo itself will report a broken config file with its own message
            }
        }
        return keys;
    }

    /** A TOML array of basic strings, for a --config value. */
    static String tomlArray(List<String> values) {
        return values.stream()
                .map(RustFlags::tomlString)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String tomlString(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) s.append(String.format("\\u%04x", (int) c));
                    else s.append(c);
                }
            }
        }
        return s.append('"').toString();
    }
}
