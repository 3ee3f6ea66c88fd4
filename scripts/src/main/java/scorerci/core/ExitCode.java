package scorerci.core;

/**
 * The one exit-code taxonomy of every command. The README's "Exit codes" table repeats these words
 * for users; ExitCodeDocTest fails when the two drift apart.
 */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error: a bug in these scripts; rerun with --verbose and report it"),
    USAGE(2, "invalid input: unknown option, bad argument, malformed file or name"),
    PREREQUISITE(
            3, "missing prerequisite: a tool, credential or token the command needs is absent"),
    VERIFICATION(
            4,
            "verification failed: the zip, artifact, workflow or deployed function is not what it must be"),
    TOOL_FAILED(5, "an external tool failed: cargo, pulumi, npm (its own output says why)"),
    REMOTE(
            6,
            "a remote service failed: HTTP error or retries exhausted (GitHub, blob storage, AWS)"),
    CONFLICT(
            7,
            "conflict: the target exists with different content (artifact name taken, --if-exists fail)"),
    NOT_FOUND(
            8,
            "not found: a file or directory (named or the default), or the artifact, function, stack or workflow job named, does not exist"),
    ABORTED(9, "aborted: the user declined a confirmation, or a check refused to continue"),
    STALE_PLAN(
            10,
            "stale plan: the saved Pulumi plan differs from the approved digest, or the program or stack changed since it was saved");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
