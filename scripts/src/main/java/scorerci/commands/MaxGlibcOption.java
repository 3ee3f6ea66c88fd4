package scorerci.commands;

import picocli.CommandLine.Option;
import scorerci.zip.ZipRules;

/** --max-glibc, shared by build-zip and verify-zip (picocli mixin). */
public class MaxGlibcOption {
    @Option(
            names = "--max-glibc",
            paramLabel = "X.Y",
            defaultValue = ZipRules.AL2023_GLIBC,
            description =
                    "Newest GLIBC_x.y bootstrap may need (default: ${DEFAULT-VALUE}, Amazon Linux 2023).")
    String maxGlibc;
}
