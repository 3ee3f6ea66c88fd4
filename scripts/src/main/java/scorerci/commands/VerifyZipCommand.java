package scorerci.commands;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import scorerci.core.ExitCode;
import scorerci.zip.DeclaredEntries;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * verify-zip: checks that any zip is a valid provided.al2023 arm64 Lambda package.
 *
 * <p>Reads: the zip at PATH; inside a checkout of this repository (cwd or a parent holding
 * scorer/Cargo.toml), the entries it declares under [package.metadata.lambda.build] include.
 * Writes: GITHUB_OUTPUT (zip-path, sha256, code-sha256, size) and a GITHUB_STEP_SUMMARY table when
 * those are set; inside a checkout, the declared list remembered under the Cargo.toml's digest in
 * scorer/target/.scorer-declared-entries (DeclaredEntries.read); nothing else. Prints: "key: value"
 * lines on stdout (zip, size, sha256, code-sha256, machine, glibc, entries); on failure one "error:
 * cause: fix" line on stderr. Exits: 0 valid; 4 VERIFICATION (not a zip, no bootstrap, not
 * executable, not aarch64, glibc too new, too large, missing entry, unsafe entry); 8 NOT_FOUND (no
 * such file); 2 USAGE (bad --max-glibc, PATH is a directory).
 */
@Command(
        name = "verify-zip",
        mixinStandardHelpOptions = true,
        description = "Check that a zip is a valid provided.al2023 arm64 Lambda package.")
public class VerifyZipCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "The zip to check.")
    String path;

    @Mixin MaxGlibcOption glibc;

    @Mixin FormatOption output;

    @Option(
            names = "--require",
            paramLabel = "ENTRY",
            description =
                    "An entry that must be present besides bootstrap (repeatable), e.g. collector.yaml. Inside the"
                            + " repository the entries scorer/Cargo.toml declares are always required; this adds to them.")
    List<String> require = new ArrayList<>();

    @Override
    protected int execute() {
        List<String> required = new ArrayList<>();
        DeclaredEntries.findFrom(context().workDir())
                .ifPresent(
                        declared -> {
                            log().detail(
                                            "required entries from "
                                                    + declared.cargoToml()
                                                    + ": "
                                                    + String.join(", ", declared.required()));
                            required.addAll(declared.required());
                        });
        required.addAll(require);
        ZipRules rules =
                ZipRules.defaults().withMaxGlibc(glibc.maxGlibc).withRequiredEntries(required);
        VerifiedZip zip = ZipVerifier.verify(context().resolve(path), rules);
        ZipFacts.ZipReport report = ZipFacts.ZipReport.of(zip, rules.maxGlibc());
        List<String[]> rows = ZipFacts.rows(report);
        if (output.json()) FormatOption.printJson(results(), report);
        else ZipFacts.print(log(), rows);
        ZipFacts.outputs(actions(), report);
        ZipFacts.summary(actions(), "Lambda zip verified", rows);
        return ExitCode.OK.code;
    }
}
