package scorerci.workflows;

import java.util.ArrayList;
import java.util.List;

/**
 * A workflow file as lines that keep their own terminators, so that an edit touching a few lines
 * writes every other byte back exactly as it was read (CRLF files stay CRLF, a missing final
 * newline stays missing).
 */
public final class WorkflowText {
    /** One line: its text without the terminator, and the terminator ("\n", "\r\n", "\r" or ""). */
    public record Line(String content, String terminator) {
        public String text() {
            return content + terminator;
        }

        public String indent() {
            int i = 0;
            while (i < content.length() && content.charAt(i) == ' ') i++;
            return content.substring(0, i);
        }

        /** The line after its indentation. */
        public String body() {
            return content.substring(indent().length());
        }

        public boolean isComment() {
            return body().startsWith("#");
        }

        public boolean isBlank() {
            return content.isBlank();
        }

        public Line withContent(String newContent) {
            return new Line(newContent, terminator);
        }
    }

    private WorkflowText() {}

    public static List<Line> split(String text) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                int end = i;
                int next =
                        (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')
                                ? i + 2
                                : i + 1;
                lines.add(new Line(text.substring(start, end), text.substring(end, next)));
                start = next;
                i = next;
            } else {
                i++;
            }
        }
        if (start < text.length()) lines.add(new Line(text.substring(start), ""));
        return lines;
    }

    public static String join(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        for (Line line : lines) sb.append(line.text());
        return sb.toString();
    }

    /** The terminator most lines use, for lines this tool inserts. */
    public static String dominantTerminator(List<Line> lines) {
        long crlf = lines.stream().filter(l -> l.terminator().equals("\r\n")).count();
        long lf = lines.stream().filter(l -> l.terminator().equals("\n")).count();
        return crlf > lf ? "\r\n" : "\n";
    }
}
