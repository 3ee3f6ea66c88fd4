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

/**
 * The crate as cargo sees it, from `cargo metadata --format-version 1 --no-deps` (so no
 * TOML parser is needed and workspaces resolve as cargo resolves them): the binary to
 * ship, where cargo puts build output, and the files declared for the zip under
 * {@code [package.metadata.lambda.build] include}, the key cargo-lambda reads.
 *
 * @param includes paths relative to the crate directory, as declared; each becomes a zip entry of that name
 */
public record CargoPackage(Path crateDir, String name, String version, String bin, Path targetDirectory,
                           List<String> includes) {

    public static CargoPackage read(Path crateDir, Toolchain toolchain, java.util.Map<String, String> env) {
        if (!Files.isDirectory(crateDir)) {
            throw PipelineException.notFound("crate directory " + crateDir + " does not exist: pass --crate DIR (default: scorer)");
        }
        Path manifest = crateDir.resolve("Cargo.toml");
        if (!Files.isRegularFile(manifest)) {
            throw PipelineException.notFound(manifest + " does not exist: --crate must name the directory holding the crate's Cargo.toml");
        }
        ExternalProcess metadata = ExternalProcess.of(toolchain.cargo(), "metadata", "--format-version", "1", "--no-deps", "--offline")
                .in(crateDir).timeout(Duration.ofMinutes(2));
        ExternalProcess.Result result = toolchain.applyTo(metadata, env).run();
        if (!result.ok()) {
            throw PipelineException.toolFailed("cargo metadata failed in " + crateDir + ": " + firstError(result.output())
                    + ": fix Cargo.toml and rerun");
        }
        String json = result.output().substring(Math.max(0, result.output().indexOf('{')));
        try {
            return parse(crateDir, new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw PipelineException.toolFailed("cargo metadata printed something that is not JSON (" + e.getMessage() + ")");
        }
    }

    static CargoPackage parse(Path crateDir, JsonNode metadata) {
        Path manifest = crateDir.toAbsolutePath().normalize().resolve("Cargo.toml");
        JsonNode pkg = null;
        for (JsonNode candidate : metadata.path("packages")) {
            if (Path.of(candidate.path("manifest_path").asText()).normalize().equals(manifest)) pkg = candidate;
        }
        if (pkg == null) {
            throw PipelineException.usage(manifest + " declares no [package] (a virtual workspace?): pass --crate with the"
                    + " directory of the Lambda's own crate");
        }
        String name = pkg.path("name").asText();
        List<String> bins = new ArrayList<>();
        for (JsonNode target : pkg.path("targets")) {
            for (JsonNode kind : target.path("kind")) if (kind.asText().equals("bin")) bins.add(target.path("name").asText());
        }
        if (bins.isEmpty()) {
            throw PipelineException.usage("crate " + name + " has no binary target: a Lambda needs a src/main.rs or [[bin]]");
        }
        String bin = bins.contains(name) ? name : bins.get(0);
        List<String> includes = new ArrayList<>();
        JsonNode declared = pkg.path("metadata").path("lambda").path("build").path("include");
        if (!declared.isMissingNode() && !declared.isNull()) {
            if (!declared.isArray()) {
                throw PipelineException.usage("[package.metadata.lambda.build] include in " + manifest
                        + " must be a list of file names, like include = [\"collector.yaml\"]");
            }
            for (JsonNode include : declared) includes.add(include.asText());
        }
        return new CargoPackage(crateDir, name, pkg.path("version").asText(), bin,
                Path.of(metadata.path("target_directory").asText(crateDir.resolve("target").toString())), List.copyOf(includes));
    }

    /** Where the release binary of the aarch64 build lands (also for suffixed zigbuild targets). */
    public Path releaseBinary() {
        return targetDirectory.resolve(Toolchain.TRIPLE).resolve("release").resolve(bin);
    }

    private static String firstError(String output) {
        return output.lines().map(String::trim).filter(l -> l.startsWith("error")).findFirst()
                .orElse(output.lines().reduce((a, b) -> b).orElse("no output").trim());
    }
}
