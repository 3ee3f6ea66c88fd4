package scorerci.pulumi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scorerci.zip.VerifiedZip;

/**
 * The words deploy reports: one-line stdout summaries and the Markdown it appends to the job
 * summary, and its step outputs. Pure formatting; {@link DeployFlow} decides where they go.
 */
public final class DeployReport {
    /**
     * A job summary is capped at 1 MiB and a PR comment at 65,536 chars: list at most this many
     * resources.
     */
    static final int MAX_ROWS = 50;

    private DeployReport() {}

    public static String zipLine(VerifiedZip zip) {
        return "zip       "
                + zip.path()
                + " ("
                + zip.size()
                + " bytes, CodeSha256 "
                + zip.codeSha256()
                + ", "
                + zip.machine()
                + ", glibc "
                + zip.highestGlibc()
                + ")";
    }

    public static String previewLine(DeployRequest request, ChangeSummary summary) {
        return "preview   " + request.stack() + ": " + summary.describe(false);
    }

    /** An approved plan about to be applied. */
    public static String planLine(DeployRequest request, ChangeSummary planned) {
        return "plan      "
                + request.stack()
                + ": "
                + planned.describe(false)
                + " (approved plan, sha256 "
                + request.planSha256()
                + ")";
    }

    /** The saved plan's digest, which the approval shows and the deploy job must be given. */
    public static String planMarkdown(DeployRequest request, String sha256) {
        return "**Saved plan** for `"
                + request.stack()
                + "`: sha256 `"
                + sha256
                + "`. Deploy applies it only with "
                + "`--plan-sha256 "
                + sha256
                + "`.\n\n";
    }

    public static String appliedLine(DeployRequest request, UpdateEvents events) {
        return "applied   "
                + request.stack()
                + ": "
                + events.summary().describe(true)
                + (events.durationSeconds() >= 0 ? " in " + events.durationSeconds() + " s" : "");
    }

    /**
     * The step outputs of a change count: creates, updates, deletes, replaces, sames and changes.
     */
    public static Map<String, String> outputs(ChangeSummary summary) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("creates", String.valueOf(summary.creates()));
        outputs.put("updates", String.valueOf(summary.updates()));
        outputs.put("deletes", String.valueOf(summary.deletes()));
        outputs.put("replaces", String.valueOf(summary.replaces()));
        outputs.put("sames", String.valueOf(summary.sames()));
        outputs.put("changes", String.valueOf(summary.changes()));
        return outputs;
    }

    public static String previewMarkdown(
            DeployRequest request, VerifiedZip zip, PreviewDigest preview) {
        StringBuilder md = new StringBuilder();
        md.append("### Pulumi preview: ").append(request.environment().id()).append("\n\n");
        md.append(context(request, zip)).append("\n\n");
        md.append(countsTable(preview.summary()));
        md.append(resourcesTable(preview.changes()));
        return md.toString();
    }

    public static String appliedMarkdown(DeployRequest request, UpdateEvents events) {
        StringBuilder md = new StringBuilder();
        md.append("### Pulumi up: ").append(request.environment().id()).append("\n\n");
        md.append("Stack `").append(request.stack()).append("`");
        if (events.durationSeconds() >= 0)
            md.append(" · ").append(events.durationSeconds()).append(" s");
        md.append("\n\n");
        md.append(countsTable(events.summary()));
        md.append(resourcesTable(events.applied()));
        return md.toString();
    }

    /** A failed step: what failed, and what had been done by then (an update can fail half way). */
    public static String failedMarkdown(
            String step, DeployRequest request, String error, UpdateEvents partial) {
        StringBuilder md = new StringBuilder();
        md.append("### ❌ Pulumi ")
                .append(step)
                .append(" failed: ")
                .append(request.environment().id())
                .append("\n\n");
        md.append("Stack `").append(request.stack()).append("`\n\n");
        md.append("```\n").append(error.replace("```", "'''")).append("\n```\n\n");
        if (partial != null && !partial.applied().isEmpty()) {
            md.append("Changed before the failure:\n\n").append(resourcesTable(partial.applied()));
        }
        return md.toString();
    }

    private static String context(DeployRequest request, VerifiedZip zip) {
        String tag = request.tag() == null ? "" : " · tag `" + request.tag() + "`";
        return "Stack `"
                + request.stack()
                + "` · region `"
                + request.region()
                + "` · zip `"
                + zip.path().getFileName()
                + "` ("
                + zip.size()
                + " bytes, CodeSha256 `"
                + zip.codeSha256()
                + "`)"
                + tag;
    }

    static String countsTable(ChangeSummary s) {
        List<String> header =
                new ArrayList<>(List.of("Create", "Update", "Delete", "Replace", "Unchanged"));
        List<String> row =
                new ArrayList<>(
                        List.of(
                                String.valueOf(s.creates()),
                                String.valueOf(s.updates()),
                                String.valueOf(s.deletes()),
                                String.valueOf(s.replaces()),
                                String.valueOf(s.sames())));
        s.others()
                .forEach(
                        (op, n) -> {
                            header.add(op);
                            row.add(String.valueOf(n));
                        });
        return "| "
                + String.join(" | ", header)
                + " |\n|"
                + "---|".repeat(header.size())
                + "\n| "
                + String.join(" | ", row)
                + " |\n\n";
    }

    static String resourcesTable(List<ResourceChange> changes) {
        if (changes.isEmpty()) return "No resource changes.\n";
        StringBuilder md =
                new StringBuilder("| Op | Type | Name | Changed properties |\n|---|---|---|---|\n");
        changes.stream()
                .limit(MAX_ROWS)
                .forEach(
                        c ->
                                md.append("| ")
                                        .append(c.symbol())
                                        .append(' ')
                                        .append(c.op())
                                        .append(" | `")
                                        .append(cell(c.type()))
                                        .append("` | `")
                                        .append(cell(c.name()))
                                        .append("` | ")
                                        .append(cell(String.join(", ", c.reasons())))
                                        .append(" |\n"));
        if (changes.size() > MAX_ROWS)
            md.append("\n… and ").append(changes.size() - MAX_ROWS).append(" more\n");
        return md.append("\n").toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
