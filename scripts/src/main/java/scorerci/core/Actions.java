package scorerci.core;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one place that speaks GitHub Actions: step outputs (GITHUB_OUTPUT), the job summary
 * (GITHUB_STEP_SUMMARY), log groups, annotations and secret masks.
 *
 * <p>Outside Actions (GITHUB_ACTIONS != "true") workflow commands are not printed, and
 * outputs/summary are written only if their files are named in the environment, so local runs stay
 * clean. Commands are written to the command's stdout, which the runner parses.
 *
 * <p>Every value written to a sink (output, summary, annotation) is redacted by value ({@link
 * SecretRegistry}) first; annotation text is escaped so it stays one command. The output and
 * summary files are checked by {@link #checkFiles} before a command does any work: each must be a
 * writable regular file (or not exist yet in a writable directory), so a FIFO or a read-only file
 * fails at once with PREREQUISITE instead of hanging or failing after the work has landed.
 */
public final class Actions {
    private final Map<String, String> env;
    private final PrintWriter out;

    public Actions(Map<String, String> env, PrintWriter out) {
        this.env = env;
        this.out = out;
    }

    /**
     * The step-output and job-summary files this adapter would write, checked up front (see the
     * class comment).
     */
    public void checkFiles() {
        for (String variable : new String[] {"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"}) {
            Path file = pathOf(variable);
            if (file == null) continue;
            String problem = null;
            if (Files.exists(file)) {
                if (!Files.isRegularFile(file)) {
                    problem =
                            Files.isDirectory(file)
                                    ? "is a directory"
                                    : "is not a regular file (a FIFO, device or socket)";
                } else if (!Files.isWritable(file)) {
                    problem = "is not writable";
                }
            } else {
                Path dir = file.toAbsolutePath().getParent();
                if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                    problem = "does not exist and its directory is not writable";
                }
            }
            if (problem != null) {
                throw PipelineException.prerequisite(
                        variable
                                + "="
                                + file
                                + " "
                                + problem
                                + "; nothing was done: point it at a writable regular file (the runner's own value), or unset it");
            }
        }
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
            text =
                    name
                            + "<<"
                            + delimiter
                            + "\n"
                            + SecretRegistry.redact(value)
                            + "\n"
                            + delimiter
                            + "\n";
        } else {
            text = name + "=" + SecretRegistry.redact(value) + "\n";
        }
        append(file, text);
    }

    /** Appends Markdown to the job summary. */
    public void summary(String markdown) {
        Path file = pathOf("GITHUB_STEP_SUMMARY");
        if (file == null) return;
        String safe = SecretRegistry.redact(markdown);
        append(file, safe.endsWith("\n") ? safe : safe + "\n");
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
        if (inActions()) command("group", escapeData(SecretRegistry.redact(title)));
        return () -> {
            if (inActions()) command("endgroup", "");
        };
    }

    public void error(String message) {
        annotation("error", message);
    }

    public void warning(String message) {
        annotation("warning", message);
    }

    public void notice(String message) {
        annotation("notice", message);
    }

    /** Asks the runner to replace this value with *** in all later log lines. */
    public void mask(String secret) {
        if (secret == null || secret.isBlank() || !inActions()) return;
        command("add-mask", escapeData(secret));
    }

    private void annotation(String kind, String message) {
        // one line of data: controls escaped and no legacy "##[" command inside it
        // (OutsideText.line)
        if (inActions())
            command(kind, escapeData(OutsideText.line(SecretRegistry.redact(message), false)));
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
            Files.writeString(
                    file,
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot write "
                            + file
                            + ": "
                            + e.getMessage()
                            + "; point GITHUB_OUTPUT / GITHUB_STEP_SUMMARY at a writable regular file");
        }
    }

    /** A log group that ends when closed. */
    public interface Group extends AutoCloseable {
        @Override
        void close();
    }
}
