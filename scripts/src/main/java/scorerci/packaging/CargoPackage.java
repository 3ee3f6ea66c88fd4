package scorerci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;
import scorerci.zip.DeclaredEntries;

/**
 * The crate as cargo sees it, from `cargo metadata --format-version 1 --no-deps` (so no TOML parser
 * is needed and workspaces resolve as cargo resolves them): the binary to ship, where cargo puts
 * build output, and the files declared for the zip under {@code [package.metadata.lambda.build]
 * include}, the key cargo-lambda reads ({@link DeclaredEntries}).
 *
 * @param includes paths relative to the crate directory, as declared; each becomes a zip entry of
 *     that name
 * @param workspaceRoot where Cargo.lock lives (the crate directory unless it is a workspace member)
 */
public record CargoPackage(
        Path crateDir,
        String name,
        String version,
        String bin,
        Path targetDirectory,
        List<String> includes,
        Path workspaceRoot) {

    public static CargoPackage read(
            Path given, Toolchain toolchain, java.util.Map<String, String> env) {
        if (!Files.isDirectory(given)) {
            throw PipelineException.notFound(
                    "crate directory "
                            + given
                            + " does not exist: pass --crate DIR (default: scorer)");
        }
        // the crate as cargo sees it (cargo runs in the real directory): a crate reached through a
        // symbolic link gets the same remaps, flags and so the same compiled units as the real one
        Path crateDir = real(given);
        Path manifest = crateDir.resolve("Cargo.toml");
        if (!Files.isRegularFile(manifest)) {
            throw PipelineException.notFound(
                    manifest
                            + " does not exist: --crate must name the directory holding the crate's Cargo.toml");
        }
        String json =
                metadataKey(AnswerCache.of(env), crateDir, toolchain, env)
                        .answer(
                                () -> {
                                    ExternalProcess metadata =
                                            ExternalProcess.of(
                                                            toolchain.cargo(),
                                                            "metadata",
                                                            "--format-version",
                                                            "1",
                                                            "--no-deps",
                                                            "--offline")
                                                    .in(crateDir)
                                                    .timeout(Duration.ofMinutes(2));
                                    ExternalProcess.Result result =
                                            toolchain.applyTo(metadata, env).run();
                                    if (!result.ok()) {
                                        throw PipelineException.toolFailed(
                                                "cargo metadata failed in "
                                                        + crateDir
                                                        + ": "
                                                        + firstError(result.output())
                                                        + ": fix Cargo.toml and rerun");
                                    }
                                    return result.output()
                                            .substring(Math.max(0, result.output().indexOf('{')));
                                });
        try {
            return parse(crateDir, new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw PipelineException.toolFailed(
                    "cargo metadata printed something that is not JSON (" + e.getMessage() + ")");
        }
    }

    /**
     * What `cargo metadata --no-deps` reads: cargo itself, the manifests and cargo configs from the
     * crate up to the root (workspaces, target-dir), CARGO_HOME's config, the lock file, the files
     * and directories target discovery looks at, and the CARGO_* variables.
     */
    static AnswerCache.Key metadataKey(
            AnswerCache cache,
            Path crateDir,
            Toolchain toolchain,
            java.util.Map<String, String> env) {
        java.util.Map<String, String> vars = new java.util.HashMap<>(env);
        toolchain.unsetEnv().forEach(vars::remove);
        vars.putAll(toolchain.env());
        Path dir = crateDir.toAbsolutePath().normalize();
        AnswerCache.Key key =
                cache.key("cargo metadata --format-version 1 --no-deps --offline")
                        .program(toolchain.cargo(), vars)
                        .text("dir", dir.toString())
                        .env(vars, "CARGO", "RUSTUP");
        for (Path d = dir; d != null; d = d.getParent()) {
            key.file(d.resolve("Cargo.toml"))
                    .file(d.resolve(".cargo/config.toml"))
                    .file(d.resolve(".cargo/config"));
        }
        String cargoHome = vars.get("CARGO_HOME");
        Path home =
                cargoHome != null
                        ? Path.of(cargoHome)
                        : Path.of(vars.getOrDefault("HOME", "/"), ".cargo");
        key.file(home.resolve("config.toml")).file(home.resolve("config"));
        for (String discovered :
                List.of(
                        "Cargo.lock",
                        "build.rs",
                        "src",
                        "src/main.rs",
                        "src/bin",
                        "examples",
                        "tests",
                        "benches")) {
            key.file(dir.resolve(discovered));
        }
        return key;
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    static CargoPackage parse(Path crateDir, JsonNode metadata) {
        Path manifest = crateDir.toAbsolutePath().normalize().resolve("Cargo.toml");
        JsonNode pkg = null;
        for (JsonNode candidate : metadata.path("packages")) {
            // cargo reports the real path: a crate reached through a symbolic link is still this
            // one
            if (real(Path.of(candidate.path("manifest_path").asText())).equals(real(manifest)))
                pkg = candidate;
        }
        if (pkg == null) {
            throw PipelineException.usage(
                    manifest
                            + " declares no [package] (a virtual workspace?): pass --crate with the"
                            + " directory of the Lambda's own crate");
        }
        String name = pkg.path("name").asText();
        List<String> bins = new ArrayList<>();
        for (JsonNode target : pkg.path("targets")) {
            for (JsonNode kind : target.path("kind"))
                if (kind.asText().equals("bin")) bins.add(target.path("name").asText());
        }
        if (bins.isEmpty()) {
            throw PipelineException.usage(
                    "crate "
                            + name
                            + " has no binary target: a Lambda needs a src/main.rs or [[bin]]");
        }
        String bin = bins.contains(name) ? name : bins.get(0);
        List<String> includes = DeclaredEntries.fromPackageMetadata(pkg.path("metadata"), manifest);
        return new CargoPackage(
                crateDir,
                name,
                pkg.path("version").asText(),
                bin,
                Path.of(
                        metadata.path("target_directory")
                                .asText(crateDir.resolve("target").toString())),
                includes,
                Path.of(
                        metadata.path("workspace_root")
                                .asText(crateDir.toAbsolutePath().toString())));
    }

    public Path cargoLock() {
        return workspaceRoot.resolve("Cargo.lock");
    }

    /** Where the release binary of the aarch64 build lands (also for suffixed zigbuild targets). */
    public Path releaseBinary() {
        return targetDirectory.resolve(Toolchain.TRIPLE).resolve("release").resolve(bin);
    }

    private static String firstError(String output) {
        return output.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("error"))
                .findFirst()
                .orElse(output.lines().reduce((a, b) -> b).orElse("no output").trim());
    }
}
