package scorerci.core;

/**
 * The one exception type that stages throw for an expected failure. Its message is the single line
 * the user sees (what is wrong, and how to fix it); its code is the process exit code. Anything
 * else escaping a command is a bug (ExitCode.INTERNAL).
 */
public class PipelineException extends RuntimeException {
    private final ExitCode exitCode;

    public PipelineException(ExitCode exitCode, String message) {
        this(exitCode, message, null);
    }

    public PipelineException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static PipelineException usage(String message) {
        return new PipelineException(ExitCode.USAGE, message);
    }

    public static PipelineException prerequisite(String message) {
        return new PipelineException(ExitCode.PREREQUISITE, message);
    }

    public static PipelineException verification(String message) {
        return new PipelineException(ExitCode.VERIFICATION, message);
    }

    public static PipelineException toolFailed(String message) {
        return new PipelineException(ExitCode.TOOL_FAILED, message);
    }

    public static PipelineException remote(String message) {
        return new PipelineException(ExitCode.REMOTE, message);
    }

    public static PipelineException remote(String message, Throwable cause) {
        return new PipelineException(ExitCode.REMOTE, message, cause);
    }

    public static PipelineException conflict(String message) {
        return new PipelineException(ExitCode.CONFLICT, message);
    }

    public static PipelineException notFound(String message) {
        return new PipelineException(ExitCode.NOT_FOUND, message);
    }

    public static PipelineException aborted(String message) {
        return new PipelineException(ExitCode.ABORTED, message);
    }

    public static PipelineException stalePlan(String message) {
        return new PipelineException(ExitCode.STALE_PLAN, message);
    }
}
