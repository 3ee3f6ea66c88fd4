package scorerci.commands;

import java.util.ArrayList;
import java.util.List;
import scorerci.core.Actions;
import scorerci.core.Log;
import scorerci.core.OutsideText;
import scorerci.zip.VerifiedZip;

/**
 * How build-zip and verify-zip report a verified zip: "key: value" lines, outputs and a summary
 * table.
 */
final class ZipFacts {
    private ZipFacts() {}

    /**
     * A verified zip as a result record: the text lines, the JSON object and the summary all come
     * from it.
     */
    record ZipReport(
            String zip,
            long size,
            long unzippedSize,
            String sha256,
            String codeSha256,
            String machine,
            String glibc,
            String maxGlibc,
            List<String> entries) {
        static ZipReport of(VerifiedZip zip, String maxGlibc) {
            // names come from the zip: escaped even though the verifier already refuses control
            // characters
            return new ZipReport(
                    zip.path().toString(),
                    zip.size(),
                    zip.unzippedSize(),
                    zip.sha256Hex(),
                    zip.codeSha256(),
                    zip.machine(),
                    zip.highestGlibc(),
                    maxGlibc,
                    zip.entries().stream().map(OutsideText::escape).toList());
        }
    }

    static List<String[]> rows(VerifiedZip zip, String maxGlibc) {
        return rows(ZipReport.of(zip, maxGlibc));
    }

    static List<String[]> rows(ZipReport r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"zip", r.zip()});
        rows.add(new String[] {"size", r.size() + " bytes (unzipped " + r.unzippedSize() + ")"});
        rows.add(new String[] {"sha256", r.sha256()});
        rows.add(new String[] {"code-sha256", r.codeSha256()});
        rows.add(new String[] {"machine", r.machine()});
        rows.add(new String[] {"glibc", r.glibc() + " (limit " + r.maxGlibc() + ")"});
        rows.add(new String[] {"entries", String.join(", ", r.entries())});
        return rows;
    }

    /** The results themselves: printed even with --quiet, which silences only progress. */
    static void print(Log log, List<String[]> rows) {
        for (String[] row : rows) log.out().println(String.format("%-14s%s", row[0] + ":", row[1]));
        log.out().flush();
    }

    static void outputs(Actions actions, ZipReport zip) {
        actions.output("zip-path", zip.zip());
        actions.output("sha256", zip.sha256());
        actions.output("code-sha256", zip.codeSha256());
        actions.output("size", Long.toString(zip.size()));
    }

    static void summary(Actions actions, String title, List<String[]> rows) {
        actions.summaryTable(
                title,
                List.of("", "value"),
                rows.stream().map(r -> List.of("**" + r[0] + "**", "`" + r[1] + "`")).toList());
    }
}
