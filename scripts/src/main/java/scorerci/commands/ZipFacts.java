package scorerci.commands;

import java.util.ArrayList;
import java.util.List;
import scorerci.core.Actions;
import scorerci.core.Log;
import scorerci.core.OutsideText;
import scorerci.zip.VerifiedZip;

/** How build-zip and verify-zip report a verified zip: "key: value" lines, outputs and a summary table. */
final class ZipFacts {
    private ZipFacts() {}

    static List<String[]> rows(VerifiedZip zip, String maxGlibc) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"zip", zip.path().toString()});
        rows.add(new String[] {"size", zip.size() + " bytes (unzipped " + zip.unzippedSize() + ")"});
        rows.add(new String[] {"sha256", zip.sha256Hex()});
        rows.add(new String[] {"code-sha256", zip.codeSha256()});
        rows.add(new String[] {"machine", zip.machine()});
        rows.add(new String[] {"glibc", zip.highestGlibc() + " (limit " + maxGlibc + ")"});
        // names come from the zip: escaped even though the verifier already refuses control characters
        rows.add(new String[] {"entries", String.join(", ", zip.entries().stream().map(OutsideText::escape).toList())});
        return rows;
    }

    /** The results themselves: printed even with --quiet, which silences only progress. */
    static void print(Log log, List<String[]> rows) {
        for (String[] row : rows) log.out().println(String.format("%-14s%s", row[0] + ":", row[1]));
        log.out().flush();
    }

    static void outputs(Actions actions, VerifiedZip zip) {
        actions.output("zip-path", zip.path().toString());
        actions.output("sha256", zip.sha256Hex());
        actions.output("code-sha256", zip.codeSha256());
        actions.output("size", Long.toString(zip.size()));
    }

    static void summary(Actions actions, String title, List<String[]> rows) {
        actions.summaryTable(title, List.of("", "value"),
                rows.stream().map(r -> List.of("**" + r[0] + "**", "`" + r[1] + "`")).toList());
    }
}
