package scorerci.core;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The sink every human-facing line passes through (Log's stdout and stderr): each line is redacted
 * ({@link SecretRegistry}) and neutralised ({@link OutsideText#line}) before it reaches the real
 * stream, so no code path that prints — a result line, progress, a warning, a diff — can leak a
 * registered secret or emit a workflow command. Workflow commands themselves are written by the
 * Actions adapter to the raw stream, never through here.
 *
 * <p>Lines are buffered to their newline so a secret or a {@code ::} prefix split over two writes
 * is still seen whole; {@link #flush} writes a partial line (a prompt) as it is.
 */
public final class SafeWriter extends Writer {
    private final Writer target;
    private final StringBuilder pending = new StringBuilder();
    private boolean midLine;

    private SafeWriter(Writer target) {
        this.target = target;
    }

    /**
     * A PrintWriter that sanitises everything written through it (idempotent on our own writers).
     */
    public static PrintWriter wrap(PrintWriter target) {
        if (target instanceof Safe) return target;
        return new Safe(new SafeWriter(target));
    }

    /** Marks a PrintWriter already wrapped, so wrapping twice costs nothing. */
    private static final class Safe extends PrintWriter {
        Safe(Writer out) {
            super(out, false);
        }
    }

    @Override
    public synchronized void write(char[] chars, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            char c = chars[i];
            if (c == '\n') {
                emit(pending.toString(), true);
                pending.setLength(0);
            } else {
                pending.append(c);
            }
        }
    }

    private void emit(String text, boolean complete) throws IOException {
        String safe = OutsideText.line(SecretRegistry.redact(text), !midLine);
        target.write(safe);
        if (complete) target.write('\n');
        midLine = !complete;
    }

    @Override
    public synchronized void flush() throws IOException {
        if (pending.length() > 0) {
            emit(pending.toString(), false);
            pending.setLength(0);
        }
        target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
    }
}
