package scorerci.actions;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one place that speaks GitHub Actions: step outputs (GITHUB_OUTPUT), the job
 * summary (GITHUB_STEP_SUMMARY), log groups, annotations and secret masks.
 *
 * Outside Actions (GITHUB_ACTIONS != "true") workflow commands are not printed, and
 * outputs/summary are written only if their files are named in the environment, so
 * local runs stay clean. Commands are written to the command's stdout, which the
 * runner parses.
 */
public final class Actions {
    private final Map<String, String> env;
    private final PrintWriter out;

    public Actions(Map<String, String> env, PrintWriter out) {
        this.env = env;
        this.out = out;
    }

    public boolean inActions() {
        return "true".equals(env.get("GITHUB_ACTIONS"));
    }

    /** Sets a step output; multi-line values use the heredoc form with a random delimiter. */
    public void output(String name, String value) {
        Path file = pathOf("GITHUB_OUTPUT");
        if (file == null) return;
        String text;
        if (value.contains("\n") || value.contains("\r")) {
            String delimiter = "ghadelimiter_" + UUID.randomUUID();
            text = name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
        } else {
            text = name + "=" + value + "\n";
        }
        append(file, text);
    }

    /** Appends Markdown to the job summary. */
    public void summary(String markdown) {
        Path file = pathOf("GITHUB_STEP_SUMMARY");
        if (file == null) return;
        append(file, markdown.endsWith("\n") ? markdown : markdown + "\n");
    }

    /** Appends a titled two-or-more column table to the job summary. */
    public void summaryTable(String title, List<String> header, List<List<String>> rows) {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(title).append("\n\n");
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append("---|".repeat(header.size())).append("\n");
        for (List<String> row : rows) {
            md.append("| ");
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) md.append(" | ");
                md.append(row.get(i).replace("|", "\\|").replace("\n", " "));
            }
            md.append(" |\n");
        }
        summary(md.append("\n").toString());
    }

    /** Opens a collapsible log group; close it (try-with-resources) to end it. */
    public Group group(String title) {
        if (inActions()) command("group", escapeData(title));
        return () -> { if (inActions()) command("endgroup", ""); };
    }

    public void error(String message) { annotation("error", message); }
    public void warning(String message) { annotation("warning", message); }
    public void notice(String message) { annotation("notice", message); }

    /** Asks the runner to replace this value with *** in all later log lines. */
    public void mask(String secret) {
        if (secret == null || secret.isBlank() || !inActions()) return;
        command("add-mask", escapeData(secret));
    }

    private void annotation(String kind, String message) {
        if (inActions()) command(kind, escapeData(message));
    }

    private void command(String name, String data) {
        out.println("::" + name + "::" + data);
        out.flush();
    }

    static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private Path pathOf(String variable) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A log group that ends when closed. */
    public interface Group extends AutoCloseable {
        @Override
        void close();
    }
}
