package scorerci.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scorerci.core.Actions;
import scorerci.core.BuildTag;
import scorerci.core.DefaultPaths;
import scorerci.core.ExitCode;
import scorerci.core.Log;
import scorerci.files.AtomicFile;
import scorerci.packaging.HostFacts;
import scorerci.packaging.LambdaBuild;

/**
 * build-zip: builds the scorer for aarch64 and packages a verified, reproducible provided.al2023
 * bootstrap.zip.
 *
 * <p>Reads: the crate (--crate, default scorer/): Cargo.toml via `cargo metadata`, the includes it
 * declares; SOURCE_DATE_EPOCH (entry timestamps); git HEAD (tag); RUSTFLAGS /
 * CARGO_ENCODED_RUSTFLAGS and cargo config files (our flags are added to the source cargo uses);
 * CARGO_HOME, HOME; GITHUB_* (the builder in the provenance). Writes: the zip (--out, default
 * <crate>/target/lambda/rust-scorer/bootstrap.zip), bootstrap.zip.json (manifest) and
 * bootstrap.zip.intoto.json (provenance statement) beside it, each by temp file + rename; cargo's
 * target dir; as root on a machine without a toolchain, Debian packages (apt-get); on an aarch64
 * host with glibc newer than --max-glibc, a cargo-zigbuild venv in the user cache. In Actions:
 * outputs zip-path, sha256, code-sha256, size, artifact-name, provenance and a summary table.
 * Prints: "key: value" lines on stdout (zip, size, sha256, code-sha256, machine, glibc, entries,
 * artifact, manifest, provenance); progress on stderr; cargo's output with --verbose or in Actions
 * (else its tail on failure). Exits: 0 built and verified; 3 PREREQUISITE (no toolchain: prints the
 * commands); 4 VERIFICATION (the zip would not run on Lambda); 5 TOOL_FAILED (cargo); 8 NOT_FOUND
 * (crate or declared include missing); 2 USAGE (bad option; --out is a directory, a symbolic link
 * or a special file such as /dev/full).
 */
@Command(
        name = "build-zip",
        mixinStandardHelpOptions = true,
        description =
                "Build the ARM64 bootstrap from scorer/ and package a verified, reproducible bootstrap.zip.")
public class BuildZipCommand extends BaseCommand {
    @Option(
            names = "--crate",
            paramLabel = "DIR",
            defaultValue = DefaultPaths.CRATE_DIR,
            description = "Directory of the Lambda crate (default: ${DEFAULT-VALUE}).")
    String crate;

    @Option(
            names = "--out",
            paramLabel = "PATH",
            description =
                    "Where to write the zip (default: <crate>/target/lambda/rust-scorer/bootstrap.zip).")
    String out;

    @Option(
            names = "--toolchain",
            paramLabel = "ROUTE",
            defaultValue = "auto",
            description =
                    "auto, zigbuild, system, rustup or native (default: ${DEFAULT-VALUE}: the first present).")
    String toolchain;

    @Mixin MaxGlibcOption glibc;

    @Mixin FormatOption output;

    /**
     * build-zip's result record: the zip, its artifact name, manifest, provenance, toolchain and
     * commit (null outside git).
     */
    record BuildReport(
            ZipFacts.ZipReport zip,
            String artifact,
            String manifest,
            String provenance,
            String toolchain,
            String commit)
            implements Report {
        static BuildReport of(LambdaBuild.Result result, String maxGlibc) {
            return new BuildReport(
                    ZipFacts.ZipReport.of(result.zip(), maxGlibc),
                    result.artifactName(),
                    result.manifest().toString(),
                    result.provenance().toString(),
                    result.toolchain().describe(),
                    result.commit());
        }

        private List<String[]> rows() {
            List<String[]> rows = new ArrayList<>(ZipFacts.rows(zip));
            rows.add(new String[] {"artifact", artifact});
            rows.add(new String[] {"manifest", manifest});
            rows.add(new String[] {"provenance", provenance});
            return rows;
        }

        @Override
        public void printText(Log log) {
            ZipFacts.print(log, rows());
        }

        @Override
        public void writeActions(Actions actions) {
            ZipFacts.outputs(actions, zip);
            actions.output("artifact-name", artifact);
            actions.output("provenance", provenance);
            List<String[]> rows = rows();
            rows.add(new String[] {"toolchain", toolchain});
            rows.add(new String[] {"commit", commit == null ? "(not a git checkout)" : commit});
            ZipFacts.summary(actions, "Lambda zip " + artifact, rows);
        }
    }

    @Mixin BuildTagOption tag;

    @Override
    protected int execute() {
        BuildTag given = tag.given(); // the default is resolved by the build, after the crate
        if (out != null)
            AtomicFile.checkReplaceable(context().resolve(out)); // before a long build, not after
        Path crateDir = context().resolve(crate);
        LambdaBuild.Request request =
                new LambdaBuild.Request(
                        crateDir,
                        out == null ? null : context().resolve(out),
                        toolchain,
                        glibc.maxGlibc,
                        given == null ? null : given.value());
        LambdaBuild.Result result =
                new LambdaBuild(
                                context().env(),
                                log(),
                                actions(),
                                HostFacts.detect(context().env()))
                        .run(request);
        report(BuildReport.of(result, glibc.maxGlibc));
        return ExitCode.OK.code;
    }
}
